"""Templates are events: checked when loaded, rendered sandboxed and strictly, versioned."""
from __future__ import annotations

import pytest

from revloop.processors import templates
from revloop.processors.template_defaults import DEFAULTS
from revloop.schemas.jsonl import to_line
from tests.support.cycle_harness import Harness
from tests.support.events import T0, event


def template(**kw) -> dict:
    fields = dict(template_id="check_in", version=2, kind="send_email", subject="Hello {{ name }}",
                  text_body="Hi {{ name }},\n", variables=[{"name": "name", "required": True}])
    fields.update(kw)
    return event("template", at=T0, **fields)


def test_every_shipped_default_loads_and_declares_what_it_uses():
    for template_id in DEFAULTS:
        templates.check_template(templates.default_event(template_id, "t1", T0))


def test_a_template_using_an_undeclared_variable_is_refused_when_loaded():
    with pytest.raises(templates.TemplateRefused, match="template check_in v2 uses undeclared variable.*: amount"):
        templates.check_template(template(text_body="You owe {{ amount }}\n"))


def test_a_template_that_does_not_parse_is_refused_when_loaded():
    with pytest.raises(templates.TemplateRefused, match="text_body does not parse"):
        templates.check_template(template(text_body="Hi {{ name \n"))


def test_the_worker_dead_letters_a_refused_template_and_keeps_the_previous_version():
    h = Harness()
    h.feed("template", template(event_id="tpl-good"))
    out = h.feed("template", template(version=3, event_id="tpl-bad", text_body="{{ secret_sauce }}"))
    [(t, dead)] = out
    assert t == "dead_letter" and "uses undeclared variable(s): secret_sauce" in dead["reason"]
    assert templates.current(h.pipeline.state("t1"), "check_in")["version"] == 2


def test_the_highest_version_is_current_and_the_shipped_default_is_version_1():
    h = Harness()
    state = h.pipeline.state("t1")
    assert templates.current(state, "check_in")["version"] == 1
    h.feed("template", template(version=3))
    h.feed("template", template(version=2, subject="older"))
    assert templates.current(state, "check_in")["version"] == 3


def test_a_required_variable_absent_or_empty_makes_the_email_unfillable():
    row = template()
    for value in (None, "", "  ", []):
        with pytest.raises(templates.Unfillable, match="name missing or empty"):
            templates.render(row, {"name": value})
    assert templates.render(row, {"name": "Pat"}).subject == "Hello Pat"


def test_the_sandbox_refuses_reaching_into_python_internals():
    row = template(text_body="{{ name.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(templates.Unfillable, match="cannot be filled"):
        templates.render(row, {"name": "Pat"})


def test_html_bodies_are_escaped_and_text_bodies_are_not():
    row = template(text_body="{{ name }}\n", html_body="<p>{{ name }}</p>")
    out = templates.render(row, {"name": "Tom & <Jerry>"})
    assert out.text == "Tom & <Jerry>\n" and out.html == "<p>Tom &amp; &lt;Jerry&gt;</p>"


def test_revloop_import_refuses_a_template_with_an_unknown_variable(tmp_path):
    from revloop.streams.config import Settings
    from revloop.streams.importer import import_file

    path = tmp_path / "templates.jsonl"
    path.write_text(to_line("template", template(text_body="{{ nobody_declared_me }}")) + "\n")
    report = import_file(Settings(bootstrap_servers="127.0.0.1:1"), str(path), show_progress=False)
    assert report.produced == 0
    assert report.errors == [(1, "template check_in v2 uses undeclared variable(s): nobody_declared_me")]
