"""Status updates, monthly reports, compliance and reminders (issues 6-8)."""
