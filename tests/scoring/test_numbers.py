"""The one number rule: every input reads back exactly what the product shows."""

from decimal import Decimal as D

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from scoring import scheme_reader
from scoring.forms import CriterionForm, LocalizedNumberField, SettingsForm
from scoring.models import Compact, Criterion, Score, Target
from scoring.numbers import parse_number
from scoring.ranking import Side, format_points
from scoring.services import CellInput, SaveRefused, record_scores
from scoring.templatetags.points import points
from tests.factories import CompactFactory, UserFactory, build_compact

VI_READS = [
    ("1.050", D(1050)),
    ("1.050,5", D("1050.5")),
    ("12,5", D("12.5")),
    ("1050.5", D("1050.5")),
    ("12.5", D("12.5")),
    ("0.125", D("0.125")),
    ("1.234.567", D(1234567)),
    ("1.234.567,5", D("1234567.5")),
    ("7", D(7)),
    ("0", D(0)),
    ("-1.050,25", D("-1050.25")),
    ("\u22125", D(-5)),
    (" 1 050,5\u00a0", D("1050.5")),
    ("1\u202f050", D(1050)),
    ("1234.567", D("1234.567")),
    ("", None),
    ("   ", None),
    (None, None),
]
EN_READS = [
    ("1,050", D(1050)),
    ("1,050.5", D("1050.5")),
    ("12.5", D("12.5")),
    ("12,5", D("12.5")),
    ("0,125", D("0.125")),
    ("1,234,567.5", D("1234567.5")),
    ("-1,050", D(-1050)),
]
REFUSED_IN_VI = [
    "abc",
    "1e3",
    "12,5,3",
    "1..2",
    "1,050.5",
    "1.234.56",
    "1.23.456",
    "01.050,5",
    "\u00b2",
    "\u0663",
    "--1",
    "+1",
    "-",
    ",5",
    "5,",
    ".5",
    "NaN",
    "Infinity",
    "7,5đ",
]
REFUSED_IN_EN = ["1.050,5", "1,23,456", "12.5.3", "1,234.5,6"]


@pytest.mark.parametrize(("text", "expected"), VI_READS)
def test_vietnamese_reads_the_rule_examples(text, expected):
    assert parse_number(text, language="vi") == expected


@pytest.mark.parametrize(("text", "expected"), EN_READS)
def test_english_reads_the_rule_examples(text, expected):
    assert parse_number(text, language="en") == expected


@pytest.mark.parametrize("text", REFUSED_IN_VI)
def test_vietnamese_refuses_the_ambiguous_rest_quoting_the_text(text):
    with pytest.raises(ValueError) as exc:
        parse_number(text, language="vi")
    assert str(exc.value) == f"“{text}” không phải là một số."


@pytest.mark.parametrize("text", REFUSED_IN_EN)
def test_english_refuses_the_ambiguous_rest(text):
    with pytest.raises(ValueError):
        parse_number(text, language="en")


def test_the_active_language_is_the_default():
    with translation.override("en"):
        assert parse_number("1,050") == 1050
    with translation.override("vi"):
        assert parse_number("1,050") == D("1.05")


def decimals_of(model, name):
    """Every value the model field can hold."""
    field = model._meta.get_field(name)
    places = field.decimal_places
    limit = D(10) ** (field.max_digits - places) - D(1).scaleb(-places)
    return st.decimals(min_value=-limit, max_value=limit, places=places)


NUMBER_FIELDS = [
    (Criterion, "max_points"),
    (Criterion, "points_per_occurrence"),
    (Compact, "content_max"),
    (Compact, "bonus_cap"),
    (Compact, "deduction_cap"),
    (Target, "value"),
    (Score, "verified_value"),
    (Score, "self_value"),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("model", "name"), NUMBER_FIELDS)
@given(data=st.data())
def test_reading_what_is_shown_gives_the_value_back(data, model, name, language):
    value = data.draw(decimals_of(model, name))
    with translation.override(language):
        for grouping in (True, False):
            shown = format_points(value, grouping=grouping)
            assert parse_number(shown) == value, shown


@given(value=st.decimals(min_value=-(10**20), max_value=10**20, places=4))
def test_any_value_reads_back_in_both_languages(value):
    """Beyond the fields' ranges too (up to the 28 digits of Decimal's context)."""
    for language in ("vi", "en"):
        with translation.override(language):
            assert parse_number(format_points(value, grouping=True)) == value


def number_fields_of_the_forms():
    criterion_form = CriterionForm(instance=Criterion(), compact=None, nodes=[])
    settings_form = SettingsForm(instance=Compact(), groups=[])
    return [
        (form, name, field)
        for form in (criterion_form, settings_form)
        for name, field in form.fields.items()
        if isinstance(field, LocalizedNumberField)
    ]


def test_every_number_field_of_the_forms_reads_the_product_way():
    names = sorted(name for _form, name, _field in number_fields_of_the_forms())
    assert names == [
        "bonus_cap",
        "content_max",
        "deduction_cap",
        "max_points",
        "points_per_occurrence",
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
@given(data=st.data())
def test_form_fields_read_back_what_their_widget_renders(data, language):
    with translation.override(language):
        for _form, _name, field in number_fields_of_the_forms():
            places = field.decimal_places
            limit = D(10) ** (field.max_digits - places) - D(1).scaleb(-places)
            value = data.draw(st.decimals(min_value=0, max_value=limit, places=places))
            rendered = field.widget.format_value(field.prepare_value(value))
            assert field.clean(rendered) == value, rendered


def test_form_field_renders_in_the_language_and_refuses_in_vietnamese():
    field = LocalizedNumberField(max_digits=7, decimal_places=2)
    with translation.override("vi"):
        assert field.widget.format_value(D("1050.50")) == "1.050,5"
        assert 'inputmode="decimal"' in field.widget.render("x", D(1050))
        assert field.clean("1.050") == 1050
        with pytest.raises(Exception) as exc:
            field.clean("1.234.56")
        assert exc.value.messages == ["“1.234.56” không phải là một số."]
    with translation.override("en"):
        assert field.widget.format_value(D("1050.50")) == "1,050.5"
        assert field.clean("1,050") == 1050


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1.234.567,5", "1.234.567,5"),
        ("abc", "abc"),
        ("Infinity", "Infinity"),
        ("NaN", "NaN"),
        ("1e3", "1e3"),
        ("1050.5", "1.050,5"),
        (D("1050.50"), "1.050,5"),
        (D("Infinity"), "Infinity"),
    ],
)
def test_points_filter_never_crashes_on_text(text, shown):
    assert points(text) == shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50 điểm", D(50)),
        ("1.050 điểm", D(1050)),
        ("50,5đ", D("50.5")),
        ("(50)", D(50)),
        ("12,5,3 điểm", None),
        (50.0, D(50)),
    ],
)
def test_scheme_workbook_text_numbers_follow_the_rule(text, expected):
    assert scheme_reader.number_in(text) == expected


def test_scheme_workbook_caps_follow_the_rule():
    assert scheme_reader.cap_in("cộng 10 điểm/lần, tối đa 1.000 điểm") == 1000
    assert scheme_reader.cap_in("trừ 2 điểm/lần, tối đa 10,5 điểm") == D("10.5")


def shown_data(form):
    """What a browser posts back for a form it was shown unchanged."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, LocalizedNumberField):
            value = field.widget.format_value(value)
        data[name] = "" if value is None else value
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_settings_submitted_unchanged_read_back_the_same_numbers(language):
    compact = CompactFactory(
        content_max=D("1050.5"),
        bonus_cap=D("12.5"),
        deduction_cap=D(1000),
        bands=[{"min": "1050", "label": "Xuất sắc"}, {"min": "1.125", "label": "Khá"}],
        tie_breakers=[],
    )
    with translation.override(language):
        shown = shown_data(SettingsForm(instance=compact, groups=[]))
        form = SettingsForm(data=shown, instance=compact, groups=[])
        assert form.is_valid(), form.errors
        data = form.settings_data()
    assert (data["content_max"], data["bonus_cap"], data["deduction_cap"]) == (
        D("1050.5"),
        D("12.5"),
        D(1000),
    )
    assert [D(band["min"]) for band in data["bands"]] == [D(1050), D("1.125")]


@pytest.mark.django_db
def test_criterion_form_reads_back_grouped_maxima():
    compact, _units, cr = build_compact()
    criterion = cr["B.1"]
    criterion.max_points = D("1050.5")
    criterion.points_per_occurrence = D("1.25")
    criterion.save()
    with translation.override("vi"):
        shown = shown_data(CriterionForm(instance=criterion, compact=compact, nodes=[]))
        assert (shown["max_points"], shown["points_per_occurrence"]) == ("1.050,5", "1,25")
        form = CriterionForm(data=shown, instance=criterion, compact=compact, nodes=[])
        form.is_valid()
    assert form.cleaned_data["max_points"] == D("1050.5")
    assert form.cleaned_data["points_per_occurrence"] == D("1.25")


@pytest.mark.django_db
def test_the_sheet_reads_a_grouped_count_as_shown():
    compact, (unit, *_), cr = build_compact()
    record_scores(
        compact=compact,
        user=UserFactory(),
        cells=[CellInput(unit.pk, cr["B.1"].pk, "1.050"), CellInput(unit.pk, cr["G1.1"].pk, "7.5")],
        side=Side.VERIFIED,
    )
    scores = {s.criterion_id: s for s in Score.objects.filter(compact=compact)}
    assert scores[cr["B.1"].pk].verified_value == 1050
    assert scores[cr["B.1"].pk].verified_points == 5250
    assert scores[cr["G1.1"].pk].verified_value == D("7.5")


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1,050.5", "12,5,3", "²"])
def test_the_sheet_refuses_ambiguous_numbers(typed):
    compact, (unit, *_), cr = build_compact()
    with pytest.raises(SaveRefused) as refused:
        record_scores(
            compact=compact,
            user=UserFactory(),
            cells=[CellInput(unit.pk, cr["G1.1"].pk, typed)],
            side=Side.VERIFIED,
        )
    assert refused.value.problems[(unit.pk, cr["G1.1"].pk)].message == (
        f"“{typed}” không phải là một số."
    )
    assert not Score.objects.exists()
