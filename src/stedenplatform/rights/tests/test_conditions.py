"""Properties of the condition language: any text either parses or gets a
ConditionError, and three-valued answers never flip when facts are added."""

from hypothesis import given, settings
from hypothesis import strategies as st

from stedenplatform.rights.conditions import (
    JA,
    NEE,
    ONBEKEND,
    ConditionError,
    evaluate,
    parse_condition,
)

YES_NO_FACTS = ["leefloon", "huurder", "student", "handicap"]
NUMBER_FACTS = ["leeftijd", "kinderen", "inkomen_per_jaar"]

atom = st.one_of(
    st.builds(
        lambda f, v: f"{f} = {v}",
        st.sampled_from(YES_NO_FACTS),
        st.sampled_from(["waar", "onwaar"]),
    ),
    st.builds(
        lambda f, op, n: f"{f} {op} {n}",
        st.sampled_from(NUMBER_FACTS),
        st.sampled_from(["<", "<=", ">", ">=", "=", "!="]),
        st.integers(0, 100),
    ),
    st.builds(
        lambda f, a, b: f"{f} in [{a}, {b}]",
        st.sampled_from(NUMBER_FACTS),
        st.integers(0, 5),
        st.integers(0, 5),
    ),
)
expression = st.recursive(
    atom,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a}) en ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) of ({b})", inner, inner),
        st.builds(lambda a: f"niet ({a})", inner),
    ),
    max_leaves=8,
)
full_profile = st.fixed_dictionaries(
    {
        **{f: st.booleans() for f in YES_NO_FACTS},
        **{f: st.integers(0, 100) for f in NUMBER_FACTS},
    }
)


@settings(max_examples=200, deadline=None)
@given(expression, full_profile, st.sets(st.sampled_from(YES_NO_FACTS + NUMBER_FACTS)))
def test_known_answers_never_flip_when_more_facts_are_known(text, profile, hidden):
    tree = parse_condition(text)
    complete = evaluate(tree, profile)
    partial = evaluate(tree, {k: v for k, v in profile.items() if k not in hidden})
    assert complete.value in (JA, NEE)
    if partial.value != ONBEKEND:
        assert partial.value == complete.value
    else:
        assert partial.questions


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='leftijdnoa wr<>=!()[],0123456789"_', max_size=40))
def test_any_text_parses_or_gets_a_dutch_condition_error(text):
    try:
        parse_condition(text)
    except ConditionError as error:
        assert error.short.startswith("positie ")
