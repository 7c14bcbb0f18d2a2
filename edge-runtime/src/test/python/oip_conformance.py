"""Drives an edge with the official Triton OIP v2 HTTP client (tritonclient[http]); exits non-zero on any mismatch."""
import sys

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

url, model = sys.argv[1], sys.argv[2]
client = httpclient.InferenceServerClient(url=url, network_timeout=60.0)


def check(cond, what):
    if not cond:
        print("oip-conformance: FAILED: " + what)
        sys.exit(1)


check(client.is_server_live(), "server live")
check(client.is_server_ready(), "server ready")
check(client.is_model_ready(model), "model ready")
meta = client.get_model_metadata(model)
check(meta["name"] == model, "metadata name")
check(any(i["name"] == "text" and i["datatype"] == "BYTES" for i in meta["inputs"]), "BYTES text input listed")
out_name = meta["outputs"][0]["name"]

# text, as existing clients send it (JSON tensors)
text = httpclient.InferInput("text", [2], "BYTES")
text.set_data_from_numpy(np.array([b"Hello, world!", b"Edges ship intermediate features."], dtype=np.object_),
                         binary_data=False)
res = client.infer(model, [text], outputs=[httpclient.InferRequestedOutput(out_name, binary_data=False)],
                   request_id="oip-1")
emb = res.as_numpy(out_name)
check(emb is not None and emb.dtype == np.float32 and emb.shape[0] == 2 and emb.shape[2] == 384,
      "text output shape/dtype " + (str(emb.shape) if emb is not None else "None"))
check(res.get_response()["id"] == "oip-1", "request id echoed")
# one named output of several: only that one comes back (and only that one crossed the back-end's downlink)
check(len(meta["outputs"]) > 1 and [o["name"] for o in res.get_response()["outputs"]] == [out_name],
      "only the requested output: " + str([o["name"] for o in res.get_response()["outputs"]]))

# token ids directly, INT64
ids = httpclient.InferInput("input_ids", [1, 6], "INT64")
ids.set_data_from_numpy(np.array([[101, 7592, 1010, 2088, 999, 102]], dtype=np.int64), binary_data=False)
mask = httpclient.InferInput("attention_mask", [1, 6], "INT64")
mask.set_data_from_numpy(np.ones((1, 6), dtype=np.int64), binary_data=False)
res2 = client.infer(model, [ids, mask], outputs=[httpclient.InferRequestedOutput(out_name, binary_data=False)])
direct = res2.as_numpy(out_name)
check(direct.shape == (1, 6, 384), "ids output shape " + str(direct.shape))
diff = float(np.max(np.abs(direct[0] - emb[0, :6])))
check(diff < 2e-4, "text and ids agree (max diff %g)" % diff)

# the client's defaults: binary tensor data both ways (inputs binary_data=True, no outputs named ->
# binary_data_output); the same tensors as the JSON path
text_bin = httpclient.InferInput("text", [2], "BYTES")
text_bin.set_data_from_numpy(np.array([b"Hello, world!", b"Edges ship intermediate features."], dtype=np.object_))
res3 = client.infer(model, [text_bin])
bin_emb = res3.as_numpy(out_name)
check(bin_emb is not None and bin_emb.dtype == np.float32 and bin_emb.shape == emb.shape,
      "binary output shape/dtype " + (str(bin_emb.shape) if bin_emb is not None else "None"))
bin_diff = float(np.max(np.abs(bin_emb - emb)))
check(bin_diff < 2e-4, "binary and JSON tensors agree (max diff %g)" % bin_diff)
ids_bin = httpclient.InferInput("input_ids", [1, 6], "INT64")
ids_bin.set_data_from_numpy(np.array([[101, 7592, 1010, 2088, 999, 102]], dtype=np.int64))
res4 = client.infer(model, [ids_bin], outputs=[httpclient.InferRequestedOutput(out_name)])
check(res4.as_numpy(out_name).shape == (1, 6, 384), "binary ids output shape")

# errors arrive as InferenceServerException carrying the server's {"error": ...} message
try:
    client.infer("no-such-model", [text])
    check(False, "unknown model must fail")
except InferenceServerException as e:
    check("unknown model" in str(e.message()), "404 message: " + str(e.message()))
bad = httpclient.InferInput("input_ids", [1, 3], "INT64")
bad.set_data_from_numpy(np.array([[101, 99999999, 102]], dtype=np.int64), binary_data=False)
try:
    client.infer(model, [bad])
    check(False, "out-of-vocabulary ids must fail")
except InferenceServerException as e:
    check("vocabulary" in str(e.message()), "400 message: " + str(e.message()))

print("oip-conformance: ok live ready metadata infer(text) infer(ids) infer(binary) max_diff=%.2e binary_diff=%.2e errors" % (diff, bin_diff))
