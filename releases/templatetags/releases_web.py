"""Template tags of the public pages: the words for a measurement's uncertainty and conditions."""

from __future__ import annotations

from typing import Any

from django import template

from releases.scoring.explanation import format_tokens
from releases.web.formatting import UNCERTAINTY_MEANING, conditions_words, uncertainty_words

register = template.Library()


@register.simple_tag
def uncertainty(measurement: Any) -> str:
    return uncertainty_words(
        std_error=measurement.std_error,
        ci_low=measurement.ci_low,
        ci_high=measurement.ci_high,
        sample_size=measurement.sample_size,
    )


@register.simple_tag
def uncertainty_meaning() -> str:
    return UNCERTAINTY_MEANING


@register.simple_tag
def conditions(value: Any) -> str:
    return conditions_words(value)


@register.filter
def tokens(value: Any) -> str:
    """A token count as readers write it: 10M tokens (10,000,000)."""
    if value in (None, ""):
        return "not stated"
    return f"{format_tokens(float(value))} tokens ({int(value):,})"
