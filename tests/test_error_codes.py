"""Every error code the server can send is documented in docs/API.md, and every documented code is one it sends."""

import re

from tests.support import ROOT
from tests.support.error_codes import codes_in_docs, codes_in_source


def test_every_code_the_server_sends_is_in_the_docs_table_and_nothing_else_is():
    raised = codes_in_source()
    documented = codes_in_docs()
    missing = {code: sorted(files) for code, files in raised.items() if code not in documented}
    assert not missing, f"codes the server sends that docs/API.md does not list: {missing}"
    assert not documented - raised.keys(), f"codes docs/API.md lists that nothing sends: {documented - raised.keys()}"
    assert {"bad_value", "stale_move", "reserved_event", "agenda_too_long"} <= documented


def test_each_answer_refusal_is_listed_under_the_answer_event():
    """The phone's answer event lists every code that validating an answer can give (bad_value was missing)."""
    text = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    answer = text[text.index('- `answer` `{"step_id"') : text.index('- `forget` `{"step_id"')]
    validating = {code for code, files in codes_in_source().items() if "protocols/answers.py" in files}
    listed = set(re.findall(r"`([a-z_]+)`", answer))
    assert validating <= listed, validating - listed
