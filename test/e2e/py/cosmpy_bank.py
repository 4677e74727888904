"""cosmpy (PyPI) against the node's REST (LCD) gateway: read two balances, send a bank tx from a
mnemonic's account, wait for it, read the balances again. Prints one JSON line; the e2e test
(rest-lcd.test.ts) compares it with gRPC. Args: rest_url chain_id mnemonic recipient amount."""
import json
import sys

from cosmpy.aerial.client import LedgerClient
from cosmpy.aerial.config import NetworkConfig
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.address import Address

rest_url, chain_id, mnemonic, recipient, amount = sys.argv[1:6]
cfg = NetworkConfig(
    chain_id=chain_id,
    fee_minimum_gas_price=1,
    fee_denomination="ngonka",
    staking_denomination="ngonka",
    url=f"rest+{rest_url}",
)
client = LedgerClient(cfg)
wallet = LocalWallet.from_mnemonic(mnemonic, prefix="gonka")
sender = str(wallet.address())
to = Address(recipient)
out = {
    "sender": sender,
    "sender_before": str(client.query_bank_balance(Address(sender), "ngonka")),
    "recipient_before": str(client.query_bank_balance(to, "ngonka")),
}
tx = client.send_tokens(to, int(amount), "ngonka", wallet).wait_to_complete(timeout=60)
out["tx_hash"] = tx.tx_hash
out["height"] = tx.response.height
out["code"] = tx.response.code
out["recipient_after"] = str(client.query_bank_balance(to, "ngonka"))
out["sender_after"] = str(client.query_bank_balance(Address(sender), "ngonka"))
print(json.dumps(out))
