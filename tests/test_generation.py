"""The rights generation moves on with the transaction that bumps it, and only then."""

from __future__ import annotations

import pytest
from django.db import transaction

from articles import generation
from articles.generation import RightsGeneration

pytestmark = pytest.mark.django_db


def test_bump_moves_the_generation_on_by_one():
    before = generation.current()
    generation.bump()
    generation.bump()
    assert generation.current() == before + 2


def test_a_bump_rolled_back_with_its_transaction_leaves_the_generation():
    before = generation.current()
    seen_inside = []

    def failing_write():
        with transaction.atomic():
            generation.bump()
            seen_inside.append(generation.current())
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        failing_write()
    assert seen_inside == [before + 1]
    assert generation.current() == before


def test_bump_makes_the_row_when_it_is_missing():
    RightsGeneration.objects.all().delete()
    assert generation.current() == 0
    before = generation.fresh_start()
    generation.bump()
    # Counted from the clock, past any number an earlier database gave out.
    assert generation.current() >= before
    assert RightsGeneration.objects.count() == 1
