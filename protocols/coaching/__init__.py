"""The coaching loop after a PD day: coaches and their caseloads, support requests with an owner and a state, the
conversation on each goal and its agreed versions, and the reminders that keep nobody silent (docs/FOLLOWUP.md)."""
