"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the e-mail tests, and an app that sends to it."""
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(make_app, smtp_server):
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, MAIL_FROM="Văn phòng Bộ <vp@example.gov.vn>")
