"""The screening index kept in the database: keyed digests of every name's blocking keys.

A blocking key (``shelter.matching.keys``) is built from the sounds of two name parts, so it is as
revealing as the name itself: only its HMAC under the instance's blind-index key is stored, as
NameToken does for search tokens. The rows follow their name: written by ``PersonName.save()`` and
the bulk person import, deleted with the name, its person or its case, and by crypto-erasure.
"""

from django.db import models

from shelter.records.models import Case, Person, PersonName


class BlockingKey(models.Model):
    name = models.ForeignKey(PersonName, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, db_index=True)

    def __repr__(self):
        return f"<BlockingKey: {self.pk}>"
