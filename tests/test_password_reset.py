"""Password-reset e-mails are throttled per client address and per e-mail address asked for;
the page answers an unknown address, and an account over its budget, exactly as any other."""

from django.core import mail
from django.urls import reverse


def ask(client, email, **headers):
    return client.post(reverse("password_reset"), {"email": email}, **headers)


def test_reset_mails_to_one_account_stop_at_its_budget_and_the_answer_does_not_change(
    client, world, settings
):
    settings.PASSWORD_RESET_ACCOUNT_RATE = "2/d"  # per day: no window ends during the test
    email = world.enterprise_user.email
    answers = [ask(client, email, HTTP_X_REAL_IP=f"198.51.100.{n}") for n in range(4)]
    unknown = ask(client, "nobody@example.cn")
    for answer in [*answers, unknown]:
        assert (answer.status_code, answer["Location"]) == (302, reverse("password_reset_done"))
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {email}
    # The budget is the e-mail address's, however it is written.
    ask(client, email.upper())
    assert len(mail.outbox) == 2


def test_one_address_asking_for_many_resets_gets_429(client, world, settings):
    settings.PASSWORD_RESET_IP_RATE = "3/d"
    answers = [
        ask(client, f"someone{n}@example.cn", HTTP_X_REAL_IP="198.51.100.1").status_code
        for n in range(4)
    ]
    assert answers == [302, 302, 302, 429]
    assert "重置" in ask(client, "x@example.cn", HTTP_X_REAL_IP="198.51.100.1").content.decode()
    # Another client behind the same proxy has its own budget, and still gets its e-mail.
    assert ask(client, world.enterprise_user.email, HTTP_X_REAL_IP="192.0.2.9").status_code == 302
    assert len(mail.outbox) == 1
