"""Group notes follow the group a person sat in when the answers were given, not today's seating."""

from tests.support.sockets import call, events

PAIR_TALK = """
id = "pair-talk"
title = "Pair talk"
purpose = "Two people share one idea each."
[grouping]
size = 2
min = 2
max = 2
[[steps]]
id = "idea"
title = "Share an idea"
prompt = "One idea for your partner"
kind = "text"
visibility = "group"
minutes = 2
"""


def test_plans_show_what_the_group_shared_as_people_sat_when_they_answered(client, sio, create_session):
    created = create_session()
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    assert call(console, "agenda_add", "/facilitator", {"toml": PAIR_TALK, "file_name": "pair-talk.toml"})["ok"]
    assert call(console, "agenda_remove", "/facilitator", {"item": 1})["ok"]
    names = ["Ana", "Ben", "Cy", "Dee"]
    phones = {name: sio("/participant", code=created["code"], name=name) for name in names}
    welcome = {name: events(phone, "welcome", "/participant")[0] for name, phone in phones.items()}
    ids = {name: welcome[name]["participant_id"] for name in names}
    assert call(console, "form_groups", "/facilitator", {"size": 2, "confirm": True})["ok"]
    for name, table in (("Ana", 1), ("Ben", 1), ("Cy", 2), ("Dee", 2)):
        assert call(console, "move", "/facilitator", {"participant_id": ids[name], "group": table})["ok"]
    assert call(console, "next", "/facilitator")["ok"]  # 2:idea
    for name, phone in phones.items():
        ack = call(phone, "answer", "/participant", {"step_id": "2:idea", "answer_id": name, "value": f"{name}'s idea"})
        assert ack["ok"], ack

    # Later the tables change: Ana now sits with Cy, Ben with Dee.
    assert call(console, "move", "/facilitator", {"participant_id": ids["Cy"], "group": 1})["ok"]
    assert call(console, "move", "/facilitator", {"participant_id": ids["Ben"], "group": 2})["ok"]

    ana = client.get(f"/p/{welcome['Ana']['token']}/plan").get_data(as_text=True)
    assert "Ben&#39;s idea" in ana or "Ben's idea" in ana, "Ben sat with Ana when they answered"
    assert "Cy's idea" not in ana and "Cy&#39;s idea" not in ana, "Cy joined Ana's table only afterwards"
    cy = client.get(f"/p/{welcome['Cy']['token']}/plan").get_data(as_text=True)
    assert "Dee" in cy and "Ana&#39;s idea" not in cy and "Ana's idea" not in cy
