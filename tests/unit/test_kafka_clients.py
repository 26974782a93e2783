"""One place builds every Kafka client from Settings: librdkafka (confluent-kafka consumers,
producers, admin), aiokafka (the Faust worker) and the schema registry client agree on
how to reach and authenticate to the cluster. (The real SASL_SSL listener is exercised in
tests/integration/test_secured_cluster.py.)"""
from __future__ import annotations

import ast
import pathlib
import ssl
import subprocess

import faust
import pytest

from revloop.streams import kafka_clients
from revloop.streams.config import Settings, SettingsError

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict[str, str]:
    """A CA and a client certificate it signed (openssl), for mutual TLS."""
    d = tmp_path_factory.mktemp("pki")

    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test CA",
            "-keyout", str(d / "ca.key"), "-out", str(d / "ca.pem"))
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=revloop", "-keyout", str(d / "client.key"),
            "-out", str(d / "client.csr"))
    openssl("x509", "-req", "-in", str(d / "client.csr"), "-CA", str(d / "ca.pem"), "-CAkey", str(d / "ca.key"),
            "-CAcreateserial", "-days", "2", "-out", str(d / "client.pem"))
    return {"ca": str(d / "ca.pem"), "cert": str(d / "client.pem"), "key": str(d / "client.key")}


def test_plaintext_by_default():
    assert kafka_clients.client_config(Settings(bootstrap_servers="b1:9092,b2:9092")) == \
        {"bootstrap.servers": "b1:9092,b2:9092"}
    assert kafka_clients.faust_broker_options(Settings(bootstrap_servers="b1:9092, b2:9092")) == \
        {"broker": ["kafka://b1:9092", "kafka://b2:9092"]}


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_user_means_sasl_ssl_with_the_same_credentials_everywhere(mechanism, pki):
    settings = Settings.from_env({"KAFKA_BOOTSTRAP_SERVERS": "b:9096", "KAFKA_SASL_MECHANISM": mechanism,
                                  "KAFKA_SASL_USERNAME": "revloop", "KAFKA_SASL_PASSWORD": "s3cret",
                                  "KAFKA_SSL_CA_LOCATION": pki["ca"]})
    conf = kafka_clients.client_config(settings)
    assert conf == {"bootstrap.servers": "b:9096", "security.protocol": "SASL_SSL", "sasl.mechanism": mechanism,
                    "sasl.username": "revloop", "sasl.password": "s3cret", "ssl.ca.location": pki["ca"]}
    creds = kafka_clients.faust_broker_options(settings)["broker_credentials"]
    assert isinstance(creds, faust.SASLCredentials)
    assert (creds.username, creds.password, creds.mechanism.value, creds.protocol.value) == \
        ("revloop", "s3cret", mechanism, "SASL_SSL")
    assert creds.ssl_context.verify_mode == ssl.CERT_REQUIRED and creds.ssl_context.check_hostname
    assert any("test CA" in str(ca.get("subject")) for ca in creds.ssl_context.get_ca_certs())
    assert "s3cret" not in repr(creds) and "s3cret" not in repr(settings)


def test_sasl_mechanism_defaults_to_plain_and_protocol_can_be_plaintext():
    settings = Settings.from_env({"KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "KAFKA_SASL_USERNAME": "u",
                                  "KAFKA_SASL_PASSWORD": "p"})
    conf = kafka_clients.client_config(settings)
    assert (conf["security.protocol"], conf["sasl.mechanism"]) == ("SASL_PLAINTEXT", "PLAIN")
    creds = kafka_clients.faust_broker_options(settings)["broker_credentials"]
    assert creds.protocol.value == "SASL_PLAINTEXT" and creds.ssl_context is None


def test_mutual_tls(pki):
    settings = Settings.from_env({"KAFKA_SSL_CA_LOCATION": pki["ca"], "KAFKA_SSL_CERTIFICATE_LOCATION": pki["cert"],
                                  "KAFKA_SSL_KEY_LOCATION": pki["key"], "KAFKA_SSL_CHECK_HOSTNAME": "false"})
    conf = kafka_clients.client_config(settings)
    assert conf["security.protocol"] == "SSL"
    assert (conf["ssl.certificate.location"], conf["ssl.key.location"]) == (pki["cert"], pki["key"])
    assert conf["ssl.endpoint.identification.algorithm"] == "none"
    creds = kafka_clients.faust_broker_options(settings)["broker_credentials"]
    assert isinstance(creds, faust.SSLCredentials) and creds.context.check_hostname is False


def test_client_properties_file_then_variables(tmp_path, pki):
    props = tmp_path / "client.properties"
    props.write_text(f"bootstrap.servers=cloud:9092\nsecurity.protocol=SASL_SSL\nsasl.mechanisms=PLAIN\n"
                     f"sasl.username=KEY\nsasl.password=SECRET\nssl.ca.location={pki['ca']}\n"
                     "schema.registry.url=https://sr.example\nbasic.auth.credentials.source=USER_INFO\n"
                     "basic.auth.user.info=SRKEY:SRSECRET\nclient.id=from-file\n")
    settings = Settings.from_env({"KAFKA_CLIENT_PROPERTIES": str(props)})
    conf = kafka_clients.client_config(settings)
    assert conf == {"bootstrap.servers": "cloud:9092", "security.protocol": "SASL_SSL", "sasl.mechanisms": "PLAIN",
                    "sasl.username": "KEY", "sasl.password": "SECRET", "ssl.ca.location": pki["ca"],
                    "client.id": "from-file"}
    assert kafka_clients.schema_registry_config(settings) == {"url": "https://sr.example",
                                                              "basic.auth.user.info": "SRKEY:SRSECRET"}
    creds = kafka_clients.faust_broker_options(settings)["broker_credentials"]
    assert (creds.username, creds.password, creds.mechanism.value) == ("KEY", "SECRET", "PLAIN")
    # A variable overrides the file's value.
    override = Settings.from_env({"KAFKA_CLIENT_PROPERTIES": str(props), "KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
                                  "KAFKA_SASL_PASSWORD": "NEWER"})
    conf = kafka_clients.client_config(override)
    assert (conf["sasl.mechanism"], conf["sasl.password"], "sasl.mechanisms" in conf) == ("SCRAM-SHA-256", "NEWER",
                                                                                         False)


def test_schema_registry_basic_auth_and_tls(pki):
    settings = Settings.from_env({"SCHEMA_REGISTRY_URL": "https://sr.example:8081",
                                  "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO": "user:pw",
                                  "SCHEMA_REGISTRY_SSL_CA_LOCATION": pki["ca"],
                                  "SCHEMA_REGISTRY_SSL_CERTIFICATE_LOCATION": pki["cert"],
                                  "SCHEMA_REGISTRY_SSL_KEY_LOCATION": pki["key"]})
    conf = kafka_clients.schema_registry_config(settings)
    assert conf == {"url": "https://sr.example:8081", "basic.auth.user.info": "user:pw", "ssl.ca.location": pki["ca"],
                    "ssl.certificate.location": pki["cert"], "ssl.key.location": pki["key"]}
    # confluent-kafka accepts it (the client connects lazily) and the codec switches format.
    codec = kafka_clients.codec(settings)
    assert type(codec).__name__ == "ConfluentCodec"
    assert kafka_clients.schema_registry_config(Settings()) is None
    assert type(kafka_clients.codec(Settings())).__name__ == "Codec"


def test_an_unsupported_mechanism_is_refused_by_name():
    with pytest.raises(SettingsError, match="KAFKA_SASL_MECHANISM='GSSAPI'"):
        Settings.from_env({"KAFKA_SASL_MECHANISM": "GSSAPI"})


# Client constructors, and the bootstrap.servers key, anywhere but kafka_clients would be a
# client that ignores the security settings.
CONSTRUCTORS = {"Consumer", "Producer", "AdminClient", "SchemaRegistryClient", "AIOKafkaConsumer",
                "AIOKafkaProducer", "App"}


def test_every_client_is_built_by_kafka_clients():
    found = []
    for folder in ("revloop", "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel == "revloop/streams/kafka_clients.py" or rel == "tests/unit/test_kafka_clients.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call):
                    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                    if name in CONSTRUCTORS and not (name == "App" and _has_broker_options(node)):
                        found.append(f"{rel}:{node.lineno} {name}(...)")
                if isinstance(node, ast.Constant) and node.value == "bootstrap.servers" \
                        and rel != "revloop/streams/config.py":       # reads it from a properties file
                    found.append(f"{rel}:{node.lineno} 'bootstrap.servers'")
    assert found == []


def _has_broker_options(call: ast.Call) -> bool:
    """faust.App(..., **kafka_clients.faust_broker_options(settings))."""
    return any(kw.arg is None and isinstance(kw.value, ast.Call) and isinstance(kw.value.func, ast.Attribute)
               and kw.value.func.attr == "faust_broker_options" for kw in call.keywords)
