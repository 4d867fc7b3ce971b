from django_tasks import task


@task()
def escalate_if_unclaimed(assignment_id: int) -> bool:
    """Queued at routing to run at the claim deadline: escalates the share if nobody has accepted it."""
    from motcua.feedback.handling import assignment_escalate

    return assignment_escalate(assignment_id=assignment_id)
