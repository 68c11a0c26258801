"""A ticket's whole life, driven through the REST API alone."""

from django.contrib.auth import get_user_model

from tickets.models import Status, Ticket


def test_a_problem_lives_its_whole_life_through_the_api(client, world):
    def token_for(username: str) -> dict:
        user = get_user_model().objects.get(username=username)
        user.set_password("s3cret-pass")
        user.save()
        response = client.post(
            "/api/v1/auth/token/",
            {"username": username, "password": "s3cret-pass"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return {"HTTP_AUTHORIZATION": f"Token {response.json()['token']}"}

    enterprise = token_for("enterprise")
    office = token_for("office")
    coordinator = token_for("coordinator")
    official = token_for("official")

    def post(path: str, data: dict, auth: dict, expect: int = 200) -> dict:
        response = client.post(path, data, content_type="application/json", **auth)
        assert response.status_code == expect, response.content.decode()
        return response.json()

    filed = post(
        "/api/v1/tickets/",
        {"category": "power", "title": "新增生产线需要扩容变压器", "description": "变压器容量不足"},
        enterprise,
        expect=201,
    )
    number = filed["number"]
    assert filed["status"] == "submitted"
    assert filed["enterprise"]["uscc"] == world.enterprise.uscc
    base = f"/api/v1/tickets/{number}"

    assert post(f"{base}/accept/", {}, office)["status"] == "accepted"
    moved = post(f"{base}/transfer/", {"department": "gxj", "supporting": ["zrzy"]}, office)
    assert moved["lead_department"]["code"] == "gxj"
    assert [d["code"] for d in moved["supporting_departments"]] == ["zrzy"]
    assigned = post(f"{base}/assign/", {"official": "official"}, coordinator)
    assert assigned["status"] == "in_progress"
    assert assigned["assignee"]["username"] == "official"
    post(f"{base}/progress/", {"note": "已联系供电公司现场勘查", "public": True}, official)
    post(f"{base}/progress/", {"note": "内部：等待局长签批"}, official)
    asked = post(
        f"{base}/request-extension/", {"working_days": 5, "reason": "设备到货延迟"}, official
    )
    assert asked["extension"] == {"working_days": 5, "reason": "设备到货延迟"}
    leader = token_for("leader")
    approved = post(f"{base}/approve-extension/", {}, leader)
    assert approved["extension"] is None
    assert approved["deadlines"]["completion_due"] > asked["deadlines"]["completion_due"]
    resolved = post(f"{base}/resolve/", {"outcome": "solved", "resolution": "已完成扩容"}, official)
    assert resolved["status"] == "resolved"
    reopened = post(f"{base}/rate/", {"rating": "unsatisfied", "comment": "仍然跳闸"}, enterprise)
    assert reopened["status"] == "reopened"
    post(f"{base}/resolve/", {"outcome": "solved", "resolution": "更换了开关柜"}, official)
    closed = post(f"{base}/rate/", {"rating": "very_satisfied"}, enterprise)
    assert closed["status"] == "closed"

    seen_by_enterprise = client.get(f"{base}/", **enterprise).json()
    notes = [e["note"] for e in seen_by_enterprise["events"]]
    assert "已联系供电公司现场勘查" in notes
    assert "内部：等待局长签批" not in notes
    # The enterprise sees who handles its problem (as on its timeline); internal notes it does not.
    assert seen_by_enterprise["assignee"]["username"] == "official"
    seen_by_office = client.get(f"{base}/", **office).json()
    assert "内部：等待局长签批" in [e["note"] for e in seen_by_office["events"]]
    assert [e["action"] for e in seen_by_office["events"]] == [
        "submit",
        "accept",
        "transfer",
        "assign",
        "progress",
        "progress",
        "request_extension",
        "approve_extension",
        "resolve",
        "rate",
        "resolve",
        "rate",
    ]
    assert Ticket.objects.get(number=number).status == Status.CLOSED
