"""The same table through PynamoDB, as another part of the application uses it."""

from __future__ import annotations

import os

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model


class Person(Model):
    class Meta:
        # No host or region: deployed, the default endpoint and region apply.
        table_name = os.environ.get("PEOPLE_TABLE", "PersonTestTable")

    PK = UnicodeAttribute(hash_key=True)
    SK = UnicodeAttribute(range_key=True)
    first_name = UnicodeAttribute()
    last_name = UnicodeAttribute()
    middle_initial = UnicodeAttribute(null=True)
