# Writes FILE.sha256 next to FILE: the digest the Java loader compares after extracting.
file(SHA256 "${FILE}" digest)
file(WRITE "${FILE}.sha256" "${digest}\n")
