"""The Resend-shaped local server tests send to (it lives in the package: `make run` uses it too)."""
from revloop.connectors.resend_local import LocalResend as FakeResendAPI, Recorded, Scripted, rate_limited, server_error

__all__ = ["FakeResendAPI", "Recorded", "Scripted", "rate_limited", "server_error"]
