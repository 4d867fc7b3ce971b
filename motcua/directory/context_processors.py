from django.utils.functional import SimpleLazyObject

from motcua.directory.rules import is_staff_member


def roles(request):
    user = getattr(request, "user", None)
    return {"user_is_staff_member": SimpleLazyObject(lambda: is_staff_member(user))}
