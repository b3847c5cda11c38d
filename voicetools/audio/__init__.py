"""Audio plumbing for the voice loop: PCM arithmetic, endpointing, speakable text, devices.

Only `devices` touches the sound card (sounddevice); the rest is numpy and the standard
library, so every piece is testable on a machine without audio hardware.
"""
