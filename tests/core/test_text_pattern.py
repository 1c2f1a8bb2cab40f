"""The API's schemas state the shared text rules (gmmp.core.text) as a `pattern`: what the pattern calls
valid is exactly what the server accepts, so that a client (or schemathesis) reading the schema sends
nothing the server refuses for its text, and nothing the schema refuses is accepted."""

import unicodedata
from typing import Annotated

import jsonschema_rs
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from gmmp.api.schemas import Comment, Strict, Text
from gmmp.core.text import BIDI_CONTROLS, WHITE_SPACE, name_problem, text_pattern, text_problem


class Probe(Strict):
    last_name: Annotated[str, Text(100, required=True)] = "x"
    spouse_name: Annotated[str, Text(100)] = ""
    reason: Annotated[str, Text(100, required=True)] = "x"
    comment: Comment = ""


FIELDS = {  # field -> (required, name)
    "last_name": (True, True),
    "spouse_name": (False, True),
    "reason": (True, False),
    "comment": (False, False),
}


def _server_accepts(field: str, value: str) -> bool:
    try:
        Probe(**{field: value})
    except ValueError:
        return False
    return True


def _validators():
    schema = Probe.model_json_schema()["properties"]
    return {field: jsonschema_rs.validator_for(schema[field]) for field in FIELDS}


def test_every_text_field_of_the_schema_states_its_rule():
    schema = Probe.model_json_schema()["properties"]
    for field, (required, name) in FIELDS.items():
        assert schema[field]["pattern"] == text_pattern(required=required, name=name)


def test_the_api_strips_exactly_the_white_space_the_pattern_allows_around_the_text():
    adapter = TypeAdapter(Annotated[str, Text(10)])
    stripped = {
        chr(code)
        for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF and adapter.validate_python("a" + chr(code)) == "a"
    }
    assert stripped == WHITE_SPACE


def test_pattern_and_server_agree_on_every_character():
    """Each character alone and between letters: the pattern and the server's check agree, for text and
    for names. Left out: lone surrogates (no JSON-schema validator can hold one) and the characters this
    Python's Unicode tables do not know yet (category Cn) while the validator's newer ones may: the
    server refuses them as invisible, a validator may read a newly assigned letter."""
    text = jsonschema_rs.validator_for({"type": "string", "pattern": text_pattern()})
    name = jsonschema_rs.validator_for({"type": "string", "pattern": text_pattern(name=True)})
    space = "".join(WHITE_SPACE)
    differ = []
    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or unicodedata.category(char) == "Cn":
            continue
        for value in (char, f"a{char}a"):
            if text.is_valid(value) != (text_problem(value.strip(space)) is None):
                differ.append(("text", value))
            if name.is_valid(value) != (name_problem(value.strip(space)) is None):
                differ.append(("name", value))
    assert differ == []


TRICKY = st.sampled_from(
    sorted(BIDI_CONTROLS | WHITE_SPACE)
    + [
        "\x00",
        "\x1c",
        "\x7f",
        "\u200b",
        "\u0301",
        "\ufeff",
        "\ue000",
        "a",
        "é",
        "ع",
        "1",
        "-",
        "€",
        "\U0001f600",
    ]
)


@settings(max_examples=400, deadline=None)
@given(value=st.text(TRICKY, max_size=6) | st.text(max_size=6))
def test_pattern_and_server_agree_on_mixed_text(value):
    validators = _validators()
    for field in FIELDS:
        if any(unicodedata.category(c) in ("Cs", "Cn") for c in value):
            continue
        assert validators[field].is_valid(value) == _server_accepts(field, value), (field, value)


def test_a_field_with_a_pattern_of_its_own_refuses_what_the_text_rules_refuse():
    from gmmp.api.collab import InterviewIn

    link = jsonschema_rs.validator_for(InterviewIn.model_json_schema()["properties"]["video_link"])
    for char in sorted(BIDI_CONTROLS) + ["\x00", "\x1f", "\x7f", "\x9f"]:
        assert not link.is_valid(f"https://visio.example/{char}x")
    assert link.is_valid("https://visio.example/salle-1") and link.is_valid("")
