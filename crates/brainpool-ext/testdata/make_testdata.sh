#!/bin/sh
# Regenerates the test data of brainpool-ext with OpenSSL (3.0.19 was used).
# Run from this directory: sh make_testdata.sh
# OpenSSL is only used here, to make independent test vectors; the crate
# never links it. Keys are fresh each run, so a rerun makes new files.
set -eu

# 1. Explicit domain parameters of the nine curves of the matching table.
mkdir -p ecparams
for c in secp224r1 prime256v1 secp384r1 secp521r1 \
         brainpoolP224r1 brainpoolP256r1 brainpoolP320r1 brainpoolP384r1 brainpoolP512r1; do
  openssl ecparam -name "$c" -param_enc explicit -outform DER -out "ecparams/$c.der"
done
# brainpoolP192r1 (PACE domain parameter ID 9; not in the matching table)
openssl ecparam -name brainpoolP192r1 -param_enc explicit -outform DER -out ecparams/brainpoolP192r1.der
# the same with the base point compressed
for c in brainpoolP320r1 secp521r1; do
  openssl ecparam -name "$c" -param_enc explicit -conv_form compressed -outform DER \
    -out "ecparams/$c-compressed.der"
done

# 2. ECDSA signatures by OpenSSL on each new curve, with five hashes.
mkdir -p signatures
printf 'dinhdanh brainpool-ext test message\n' > signatures/message.txt
for c in brainpoolP224r1 brainpoolP320r1 brainpoolP512r1; do
  key=$(mktemp)
  openssl ecparam -name "$c" -genkey -noout -out "$key"
  # public key as SubjectPublicKeyInfo: named curve, and explicit parameters
  openssl ec -in "$key" -pubout -outform DER -out "signatures/$c.spki.der" 2>/dev/null
  openssl ec -in "$key" -pubout -param_enc explicit -outform DER \
    -out "signatures/$c.explicit.spki.der" 2>/dev/null
  for h in sha1 sha224 sha256 sha384 sha512; do
    openssl dgst "-$h" -sign "$key" -out "signatures/$c.$h.sig" signatures/message.txt
    # check with OpenSSL itself before keeping it
    openssl dgst "-$h" -verify "signatures/$c.spki.der" -keyform DER \
      -signature "signatures/$c.$h.sig" signatures/message.txt >/dev/null
  done
  rm -f "$key"
done

# 3. The BSI 2008 specimen's document signer certificate (brainpoolP224r1,
#    explicit parameters), cut out of the CMS certificates field of EF.SOD.
#    EF.SOD is tag 77 around a ContentInfo; skip the 4-byte header 77 82 04 30.
mkdir -p bsi2008
sod=../../../../shared/testdata/jmrtd/lds/bsi2008/EF_SOD.bin
tail -c +5 "$sod" > bsi2008/sod_contentinfo.der.tmp
openssl pkcs7 -inform DER -in bsi2008/sod_contentinfo.der.tmp -print_certs \
  | openssl x509 -outform DER -out bsi2008/ds.der
openssl cms -verify -noverify -inform DER -in bsi2008/sod_contentinfo.der.tmp -out /dev/null
rm -f bsi2008/sod_contentinfo.der.tmp
