"""One Settings: every environment variable revloop reads is a Settings field, read in
revloop/streams/config.py and nowhere else, and listed in the README's configuration table."""
from __future__ import annotations

import ast
import pathlib
import re

import pytest

from revloop.streams.config import Settings, SettingsError

ROOT = pathlib.Path(__file__).resolve().parents[2]


def readme_table(title: str) -> dict[str, str]:
    """Variable -> its row, from the README table under the heading `title`."""
    text = (ROOT / "README.md").read_text()
    section = text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split("|")[1]
        for name in re.findall(r"`([A-Z][A-Z0-9_<>]+)`", first):
            rows[name] = line
    return rows


def test_the_readme_configuration_table_lists_exactly_the_settings_variables():
    assert set(readme_table("Configuration")) == set(Settings.variables())


def test_each_readme_row_states_the_default():
    rows = readme_table("Configuration")
    for name, meta in Settings.variables().items():
        default = meta["default_doc"] or str(meta["default"]).lower()
        assert default.lower() in rows[name].lower(), f"{name}: README row does not say the default {default!r}"


ENV_READS = ("environ", "getenv", "getenvb")


def test_no_module_but_config_reads_the_environment():
    readers = []
    for path in (ROOT / "revloop").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "revloop/streams/config.py":
            continue
        tree = ast.parse(path.read_text())
        # Writing a default for a third-party library (os.environ.setdefault: huggingface's
        # offline switches) is not reading ours.
        writes = {id(node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and node.attr == "setdefault"}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ENV_READS and id(node) not in writes \
                    and isinstance(node.value, ast.Name) and node.value.id == "os":
                readers.append(f"{rel}:{node.lineno} os.{node.attr}")
    assert readers == []


def test_values_are_parsed_and_checked():
    s = Settings.from_env({"REVLOOP_PARTITIONS": "6", "KAFKA_SSL_CHECK_HOSTNAME": "false",
                           "KAFKA_SASL_MECHANISM": "scram-sha-512", "REVLOOP_LOG_FORMAT": "JSON",
                           "REVLOOP_TOPIC_PREFIX": "  "})
    assert (s.partitions, s.ssl_check_hostname, s.sasl_mechanism, s.log_format, s.topic_prefix) == \
        (6, False, "SCRAM-SHA-512", "json", "")
    for env, words in (({"REVLOOP_PARTITIONS": "three"}, "REVLOOP_PARTITIONS"),
                       ({"REVLOOP_REPLAY_WORKERS": "0"}, "REVLOOP_REPLAY_WORKERS"),
                       ({"KAFKA_SASL_MECHANISM": "GSSAPI"}, "SCRAM-SHA-256"),
                       ({"KAFKA_SSL_CHECK_HOSTNAME": "maybe"}, "true or false")):
        with pytest.raises(SettingsError, match=words):
            Settings.from_env(env)


def test_secrets_never_appear_in_repr():
    secrets = {"KAFKA_SASL_PASSWORD": "pw-kafka-123", "RESEND_API_KEY": "re_secret_456",
               "REVLOOP_UNSUBSCRIBE_SECRET": "hmac-key-0123456789", "RESEND_WEBHOOK_SECRET": "whsec_abc789",
               "REVLOOP_GMAIL_TOKEN_ACME": "1//refresh-tok", "REVLOOP_GMAIL_CLIENT_SECRET": "gcs-000",
               "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO": "sr:sr-pass-1", "KAFKA_SSL_KEY_PASSWORD": "keypw-22"}
    s = Settings.from_env(secrets)
    assert s.sasl_password == "pw-kafka-123" and s.gmail_tokens == {"REVLOOP_GMAIL_TOKEN_ACME": "1//refresh-tok"}
    text = repr(s)
    assert not [v for v in secrets.values() if v in text]


def test_client_properties_file(tmp_path):
    path = tmp_path / "client.properties"
    path.write_text("# from the provider\nbootstrap.servers=pkc-1.example:9092\nsecurity.protocol=SASL_SSL\n"
                    "sasl.mechanisms=PLAIN\nsasl.username=KEY\nsasl.password=SECRET==x\n! comment\n")
    s = Settings.from_env({"KAFKA_CLIENT_PROPERTIES": str(path)})
    assert s.bootstrap_servers == "pkc-1.example:9092"
    assert s.client_properties["sasl.password"] == "SECRET==x"
    assert "SECRET==x" not in repr(s)
    # The variable wins over the file.
    assert Settings.from_env({"KAFKA_CLIENT_PROPERTIES": str(path),
                              "KAFKA_BOOTSTRAP_SERVERS": "b:1"}).bootstrap_servers == "b:1"
    path.write_text("no separator here\n")
    with pytest.raises(SettingsError, match=r"client.properties:1: not a key=value line"):
        Settings.from_env({"KAFKA_CLIENT_PROPERTIES": str(path)})
    with pytest.raises(SettingsError, match="cannot read it"):
        Settings.from_env({"KAFKA_CLIENT_PROPERTIES": str(tmp_path / "absent")})
