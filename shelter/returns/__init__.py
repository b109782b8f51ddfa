"""Returns: the risk of a person's extradition, deportation or removal to a state (non-refoulement),
the comparable cases, and the dossier a lawyer files against it. A thin Django adapter around the
pure engine ``shelter.assessment.refoulement``, fed by the records and the notices."""
