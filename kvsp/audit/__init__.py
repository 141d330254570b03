"""The read-only history of a council's objects, from their django-simple-history trail.

Like kvsp/portal it composes several apps (it imports councils, meetings, consultations, plans and
monitoring) and no app imports it: the detail pages only link to its URL by name.
"""
