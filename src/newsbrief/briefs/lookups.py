"""``id__in=[...]`` with a number no integer column holds finds nothing, as ``id=...`` does.

Django leaves such a number out of ``exact`` and the comparisons (``IntegerFieldOverflow``) but
not out of ``in``, where SQLite cannot even bind it (``OverflowError``): every form that looks
up several ids a client sent (a subscriber's categories, the admin's many-to-many fields)
answered 500 to ``2**63``. Registered on ``IntegerField`` (ids included) by the app's
``ready``.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
