import pytest

from stedenplatform.plans.demo_data import load_jaarplan, load_meerjarenplan


@pytest.fixture
def jaarplan(organisations):
    return load_jaarplan()


@pytest.fixture
def city_plan(organisations, make_user):
    make_user("44021", "bijdrager", username="gent-bijdrager")
    make_user("44021", "beheerder", username="gent-beheerder")
    return load_meerjarenplan()
