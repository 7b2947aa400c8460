"""Prefect flows: orchestration of the acecoder stages (the logic lives in acecoder/ and rewardmodel/)."""
