# Writes FILE.sha256 next to FILE: the published digest of the shipped library. The loader checks
# it when it loads from an unpacked directory (from a jar it checks the entry's CRC-32); users and
# tests can check what a process mapped against it.
file(SHA256 "${FILE}" digest)
file(WRITE "${FILE}.sha256" "${digest}\n")
