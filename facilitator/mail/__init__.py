"""E-mail reminders: the SMTP settings, composing and sending a message, and one delivery pass over the outbox."""
