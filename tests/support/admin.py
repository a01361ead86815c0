"""Acting as the admin: the token every test app and test server is given, its headers, and a session's goals."""

ADMIN_TOKEN = "test-admin-token-0123456789abcdef"
GOALS = [
    {"title": "Every student reads fluently by grade 3", "description": "Literacy across the curriculum"},
    {"title": "Feedback that moves learning forward", "description": ""},
    {"title": "Belonging for every learner", "description": ""},
]


def admin_headers(token: str = ADMIN_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
