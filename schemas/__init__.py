"""Event contracts shared by every Dongseon service: envelope, topics, payloads."""
