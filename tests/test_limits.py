"""Join codes can't be enumerated: misses are limited per address; floods are limited per connection."""

from facilitator.edge.limits import EXTENSION_KEY as LIMITS_KEY
from facilitator.edge.limits import Rate, RateLimiter
from protocols.errors import DomainError
from tests.support.admin import admin_headers


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_refills_at_its_rate_and_keys_are_separate():
    clock = FakeClock()
    limiter = RateLimiter(Rate(burst=3, per_second=0.5), clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b"), "another address has its own budget"
    assert limiter.exhausted("a") and not limiter.exhausted("b")
    clock.now = 1.0
    assert not limiter.allow("a"), "half a token is not enough"
    clock.now = 2.0
    assert limiter.allow("a") and not limiter.allow("a")
    clock.now = 100.0
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False], "refills only up to the burst"


def test_a_refusal_says_what_happened_and_how_long_to_wait():
    limiter = RateLimiter(Rate(burst=1, per_second=0.5), clock=FakeClock())
    limiter.check("x", "answers")
    try:
        limiter.check("x", "answers")
    except DomainError as error:
        assert error.code == "rate_limited" and "Too many answers" in error.message and "wait 2 s" in error.message
    else:
        raise AssertionError("the second check must be refused")


def stop_the_refill(app) -> None:
    """Misses refill at one a second; a slow machine must not earn a guesser a token mid-test."""
    limits = app.extensions[LIMITS_KEY]
    limits.code_misses = RateLimiter(limits.code_misses.rate, clock=FakeClock())


def test_memory_stays_bounded_however_many_addresses_call():
    limiter = RateLimiter(Rate(burst=1, per_second=0), max_keys=100, clock=FakeClock())
    for n in range(1_000):
        limiter.allow(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter._buckets) == 100


def test_guessing_join_codes_is_refused_per_address_and_secrets_still_open_their_pages(
    app, client, sio, create_session
):
    created = create_session()
    code = created["code"]
    phone = sio("/participant", code=code, name="Ana")
    token = phone.get_received("/participant")[0]["args"][0]["token"]
    stop_the_refill(app)
    budget = int(app.config["LIMIT_CODE_MISSES_BURST"])
    guesser = {"REMOTE_ADDR": "10.1.1.66"}
    for n in range(budget):
        response = client.get(f"/j/GUESS{n}", environ_base=guesser)
        assert response.status_code == 404
    refused = client.get(f"/j/{code}", environ_base=guesser)
    assert refused.status_code == 429 and "Too many unknown codes" in refused.get_json()["error"]
    assert client.get(f"/api/sessions/{code}/qr.svg", environ_base=guesser).status_code == 429
    assert client.get("/p/not-a-token/plan.pdf", environ_base=guesser).status_code == 429, "a miss says only 429"
    assert client.get(f"/p/{token}/plan", environ_base=guesser).status_code == 200, "a real token still opens"
    key = {"X-Facilitator-Key": created["facilitator_key"]}
    assert client.get(f"/api/sessions/{code}/export", headers=key, environ_base=guesser).status_code == 200
    assert client.get(f"/api/sessions/{code}", headers=admin_headers(), environ_base=guesser).status_code == 200
    assert client.get(f"/j/{code}", environ_base={"REMOTE_ADDR": "10.1.1.20"}).status_code == 200
    assert client.get("/healthz", environ_base=guesser).status_code == 200, "only code look-ups are limited"
    assert app.extensions[LIMITS_KEY].code_misses.exhausted("10.1.1.66")


def test_a_wrong_admin_token_counts_as_a_miss(app, client):
    stop_the_refill(app)
    budget = int(app.config["LIMIT_CODE_MISSES_BURST"])
    guesser = {"REMOTE_ADDR": "10.1.1.67"}
    for _ in range(budget):
        assert client.get("/api/sessions", headers=admin_headers("guess"), environ_base=guesser).status_code == 401
    assert client.get("/api/sessions", headers=admin_headers("guess"), environ_base=guesser).status_code == 429
    assert client.get("/api/sessions", headers=admin_headers(), environ_base=guesser).status_code == 200


def test_a_wrong_check_in_token_counts_as_a_miss(app, client):
    stop_the_refill(app)
    budget = int(app.config["LIMIT_CODE_MISSES_BURST"])
    guesser = {"REMOTE_ADDR": "10.1.1.68"}
    for n in range(budget):
        assert client.get(f"/c/guess-{n}", environ_base=guesser).status_code == 404
    assert client.get("/c/guess-again", environ_base=guesser).status_code == 429


def test_behind_a_trusted_proxy_limits_count_each_phone_not_the_proxy(tmp_path):
    from facilitator.app import create_app

    app = create_app({"DATA_DIR": str(tmp_path), "ADMIN_TOKEN": "x" * 32, "ASYNC_MODE": "threading",
                      "TRUST_PROXY": 1, "LIMIT_CODE_MISSES_BURST": 2})  # fmt: skip
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(2):
        client.get("/j/ZZZZZZ", environ_base=proxy, headers={"X-Forwarded-For": "10.9.9.9"})
    assert client.get("/j/ZZZZZZ", environ_base=proxy, headers={"X-Forwarded-For": "10.9.9.9"}).status_code == 429
    other_phone = client.get("/j/ZZZZZZ", environ_base=proxy, headers={"X-Forwarded-For": "10.9.9.10"})
    assert other_phone.status_code == 404, "another phone behind the same proxy keeps its own budget"
    app.extensions["pathways.store"].close()


def test_a_flooding_phone_is_refused_past_its_budget_and_others_are_served(app, sio, create_session):
    created = create_session()
    budget = int(app.config["LIMIT_EVENTS_BURST"])
    # the product's budget, without its refill: a slow machine's flood would otherwise earn back a few events
    app.extensions[LIMITS_KEY].events = RateLimiter(Rate(burst=budget, per_second=0))
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    flooder = sio("/participant", code=created["code"], name="Flood")
    calm = sio("/participant", code=created["code"], name="Calm")
    assert console.emit("next", namespace="/facilitator", callback=True)["ok"]
    acks = [
        flooder.emit("answer", {"step_id": "1:system-goal", "answer_id": f"f{n}", "value": 1},
                     namespace="/participant", callback=True)
        for n in range(budget * 3)
    ]  # fmt: skip
    refused = [ack for ack in acks if ack.get("code") == "rate_limited"]
    assert budget * 2 - 10 <= len(refused) <= budget * 2, "about everything past the burst is refused"
    assert all(ack["ok"] for ack in acks[: budget - 1]), "the first events within the budget are served"
    assert "Too many messages" in refused[0]["error"]
    calm_ack = calm.emit("answer", {"step_id": "1:system-goal", "answer_id": "c1", "value": 2},
                         namespace="/participant", callback=True)  # fmt: skip
    assert calm_ack["ok"], "another phone is served as usual"


def test_guessing_codes_over_sockets_counts_against_the_address_and_secrets_still_connect(app, sio, create_session):
    created = create_session()
    phone = sio("/participant", code=created["code"], name="Ana")
    token = phone.get_received("/participant")[0]["args"][0]["token"]
    app.extensions[LIMITS_KEY].code_misses = RateLimiter(Rate(burst=5, per_second=0))  # a budget quick to use up
    for n in range(5):
        guess = sio("/participant", code=f"ZZZZZ{n + 2}", name="Guess")
        assert not guess.is_connected("/participant")
    blocked = sio("/participant", code=created["code"], name="Now real")
    assert not blocked.is_connected("/participant"), "past the budget a join by code alone is refused"
    assert not sio("/projector", code=created["code"]).is_connected("/projector")
    assert sio("/participant", code=created["code"], token=token).is_connected("/participant"), "a token still opens"
    console = sio("/facilitator", code=created["code"], key=created["facilitator_key"])
    assert console.is_connected("/facilitator"), "so does the facilitator's key"
    assert app.extensions[LIMITS_KEY].code_misses.exhausted("127.0.0.1")


def test_new_participants_per_address_are_limited_and_coming_back_is_not(app, sio, create_session):
    created = create_session()
    app.extensions[LIMITS_KEY].joins = RateLimiter(Rate(burst=2, per_second=0))  # a small budget to reach
    first = sio("/participant", code=created["code"], name="One")
    sio("/participant", code=created["code"], name="Two")
    token = first.get_received("/participant")[0]["args"][0]["token"]
    third = sio("/participant", code=created["code"], name="Three")
    assert not third.is_connected("/participant")
    back = sio("/participant", code=created["code"], token=token)
    assert back.is_connected("/participant"), "coming back with a token is not a new join"
