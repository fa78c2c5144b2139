"""One API request through the official Kubernetes Python client (its kubeconfig loading, auth, transport and
error decoding); prints {"status", "body", "warnings"} as JSON. Used by the simulator's fidelity tests as an
independent client: argv[1] kubeconfig, argv[2] the request as JSON {method, path, query, contentType, accept, body}."""
import json
import sys

from kubernetes import client, config
from kubernetes.client.rest import ApiException


def decode(data):
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


def warnings(headers):
    if headers is None:
        return []
    getlist = getattr(headers, "getlist", None) or getattr(headers, "get_all", None)
    values = getlist("Warning") if getlist else [headers.get("Warning")]
    return [v for v in (values or []) if v]


request = json.loads(sys.argv[2])
config.load_kube_config(config_file=sys.argv[1])
api = client.ApiClient()
headers = {"Accept": request.get("accept") or "application/json"}
if request.get("contentType"):
    headers["Content-Type"] = request["contentType"]
try:
    response = api.call_api(
        request["path"], request["method"],
        query_params=list((request.get("query") or {}).items()),
        header_params=headers, body=request.get("body"),
        auth_settings=["BearerToken"], _preload_content=False, _return_http_data_only=False)
    raw = response[0]
    print(json.dumps({"status": raw.status, "body": decode(raw.data), "warnings": warnings(raw.getheaders())}))
except ApiException as error:
    print(json.dumps({"status": error.status, "body": decode(error.body), "warnings": warnings(error.headers)}))
