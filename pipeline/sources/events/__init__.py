"""Activities and events near the family: Linked Events, county ICS feeds, Lähellä.fi and PTV.

The stages around events, in the order data flows through them:

- :mod:`.model`: the normalised item (:class:`~.model.Event`) every source is read into, field
  by field: untrusted text cleaned and sanitised, a bad value dropped and reported with the
  item's id, an item skipped only without an id, source, kind or name.
- :mod:`.linked_events`, :mod:`.ics`, :mod:`.lahella`: the sources behind the same ``Source``
  protocol and snapshot store as PTV (fetch), and the readers of their raw answers (load).
  Lähellä.fi is off unless a county turns it on (a public feed needs an agreement).
- :mod:`.ptv_activities`: long-term activities (family cafés, meeting places, NGO and parish
  services) read from PTV services into the same model.
- :mod:`.merge`: one activity, once: records of the same activity from several sources are
  folded into the richest, and the merge is recorded for the county report.
- :mod:`.snapshot`: :func:`~.snapshot.load_events`, the county's upcoming items for a build
  date, with their provenance (sample or real, fetched when) and the problems found.
- :mod:`.fetch`: ``perhekeskus fetch events``; :mod:`.inspect`: ``perhekeskus events
  inspect FILE``.
"""
