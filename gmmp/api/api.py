from ninja import NinjaAPI

api = NinjaAPI(title="GMMP API", version="1", urls_namespace="api")
