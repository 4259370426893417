"""The Lambda function the SAM template deploys."""

from __future__ import annotations

from typing import Any

from people.queries import find_people_with_middle_initials


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"people": find_people_with_middle_initials()}
