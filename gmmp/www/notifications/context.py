from gmmp.notifications.selectors import unread_count


def bell(request):
    """The unread count in the header's bell: one indexed count per request. Django runs the context
    processors again for every inclusion tag (`Context.new()`), so the figure is kept on the request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(request, "_gmmp_unread_notifications", None)
    if count is None:
        count = request._gmmp_unread_notifications = unread_count(user=user)
    return {"unread_notifications": count}
