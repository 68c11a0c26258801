"""Real moving parts for the tests about tasks, outages and deployment: a Redis server of the
test's own, Celery workers in their own processes, an HTTP receiver standing in for a webhook
or a group robot, PostgreSQL clusters, gunicorn. Each on a spare port, never the machine's."""
