"""Data-entry forms shared by the wizards (person, dwelling …)."""
