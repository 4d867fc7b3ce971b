"""Một Cửa — public services, one-stop back office, citizen feedback and IOC for a Vietnamese province."""

__version__ = "0.1.0"
