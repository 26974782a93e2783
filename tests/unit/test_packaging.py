"""Packaging a user can install next to other things: one top-level package, a constraints
file make installs with whose pins meet every floor, and a compose file without a fixed
container name, with a named volume and no topic auto-creation."""
from __future__ import annotations

import pathlib
import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = pathlib.Path(__file__).resolve().parents[2]


def pins() -> dict[str, Version]:
    out = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not name==version"
            out[canonicalize_name(name)] = Version(version)
    return out


def requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return [Requirement(r) for r in reqs]


def test_every_dependency_is_pinned_and_its_pin_meets_the_floor():
    pinned = pins()
    for req in requirements():
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} has no pin in constraints.txt"
        assert req.specifier.contains(pinned[name], prereleases=True), f"{req} but constraints.txt pins {pinned[name]}"


def test_the_floors_the_code_relies_on():
    floors = {canonicalize_name(r.name): r for r in requirements()}
    # kafka_clients builds the registry client with SchemaRegistryClient.new_client (2.6.2 on);
    # resend_webhooks takes the verified payload from Webhooks.verify's return value (2.34 on).
    assert not floors["confluent-kafka"].specifier.contains("2.6.1")
    assert floors["confluent-kafka"].specifier.contains("2.6.2")
    assert not floors["resend"].specifier.contains("2.33.0")
    assert floors["resend"].specifier.contains("2.34.0")


def test_make_installs_with_the_constraints():
    makefile = (ROOT / "Makefile").read_text()
    installs = [line for line in makefile.splitlines() if "pip install" in line and "-e " in line]
    assert installs and all("-c $(CONSTRAINTS)" in line for line in installs)
    assert re.search(r"^CONSTRAINTS := constraints.txt$", makefile, re.M)


def test_one_top_level_package_with_the_design_folders_inside():
    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    assert find["include"] == ["revloop*"]
    for folder in ("schemas", "processors", "streams", "projections", "connectors"):
        assert (ROOT / "revloop" / folder / "__init__.py").exists()


def test_compose_file_has_no_fixed_container_name_a_named_volume_and_no_auto_creation():
    compose = yaml.safe_load((ROOT / "docker-compose.kafka.yml").read_text())
    kafka = compose["services"]["kafka"]
    assert "container_name" not in kafka
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    volume, _, mount = kafka["volumes"][0].partition(":")
    assert volume in compose["volumes"] and mount == kafka["environment"]["KAFKA_LOG_DIRS"]
    assert "${KAFKA_PORT" in compose["name"]                  # one project per port: checkouts do not collide
    template = (ROOT / "infra/kafka/server.properties.template").read_text()
    assert re.search(r"^auto.create.topics.enable=false$", template, re.M)
