# Generates vectors.json: WeCom 智能机器人 callback crypto with an EMPTY
# receive id, computed by Python's `cryptography` package (AES-256-CBC) and
# hashlib (SHA-1), an implementation independent of package bot's Go code.
#
#   python3 vectors.py > vectors.json      (cryptography 48.0.0, Python 3)
#
# Scheme (document/path/101033): plaintext = 16 random bytes | uint32 BE
# length | msg | receive id (here ""), PKCS#7-padded to 32 bytes; AES-256-CBC
# with key = base64(EncodingAESKey + "=") and IV = key[:16]; base64.
# msg_signature = hex SHA-1 of sorted(token, timestamp, nonce, encrypt) joined.
import base64, hashlib, json, struct
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

def encrypt(aes_key, random16, msg, receive_id=b""):
    key = base64.b64decode(aes_key + "=")
    pt = random16 + struct.pack(">I", len(msg)) + msg + receive_id
    pad = 32 - len(pt) % 32
    pt += bytes([pad]) * pad
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(pt) + enc.finalize()).decode()

def sign(token, ts, nonce, encrypt):
    return hashlib.sha1("".join(sorted([token, ts, nonce, encrypt])).encode()).hexdigest()

cases = [
    ("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "QDG6eK", b"0123456789abcdef", "1409659813", "1372623149",
     '{"msgid":"CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=","aibotid":"AIBOTID","chatid":"CHATID","chattype":"group","from":{"userid":"zhangsan"},"response_url":"RESPONSEURL","msgtype":"text","text":{"content":"@招商助手 拜访 康硕 重庆 昨天"}}', b""),
    ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "aibotTok", bytes(range(16)), "1700000000", "42",
     '{"msgid":"ev1","create_time":1700000000,"aibotid":"AIB","chattype":"single","from":{"userid":"lisi"},"msgtype":"event","event":{"eventtype":"enter_chat"}}', b""),
    ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "aibotTok", b"\xff" * 16, "1700000001", "9",
     "5927433915787", b""),
    # 12 bytes of message: 16+4+12 = 32, so a whole block of padding.
    ("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "QDG6eK", b"ABCDEFGHIJKLMNOP", "1", "2",
     "twelve bytes", b""),
    # The app's receive id (a corp id): the 智能机器人 must refuse it.
    ("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "QDG6eK", b"0123456789abcdef", "1409659813", "1372623149",
     '{"msgid":"x","from":{"userid":"u"},"msgtype":"text","chattype":"single","text":{"content":"hi"}}', b"wx5823bf96d3bd56c7"),
]
out = []
for key, token, rnd, ts, nonce, msg, rid in cases:
    e = encrypt(key, rnd, msg.encode(), rid)
    out.append({"aes_key": key, "token": token, "random_hex": rnd.hex(), "timestamp": ts, "nonce": nonce,
                "msg": msg, "receive_id": rid.decode(), "encrypt": e, "signature": sign(token, ts, nonce, e)})
print(json.dumps({"source": "bot/aibot/testdata/vectors.py: Python cryptography " +
                  __import__("cryptography").__version__ + " + hashlib, receive id \"\"", "vectors": out},
                 ensure_ascii=False, indent=1))
