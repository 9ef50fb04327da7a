#!/usr/bin/env bash
# Makes the passive-authentication test files of this directory with
# OpenSSL 3 (tested with 3.0.19): CSCA -> DS chains for RSA, RSA-PSS and
# ECDSA on the NIST and Brainpool curves, a CCCD-like set of data groups,
# EF.SOD files signed with `openssl cms -sign` over an LDSSecurityObject
# built with `openssl asn1parse -genconf`, and the broken variants the
# tests expect to fail. Needs bash, openssl and xxd. Private keys stay in a
# temporary directory and are thrown away: rerunning makes new keys, so
# every file changes (the tests take their values from the files, their
# dates from this script: everything is valid on 2026-06-01).
#
#   crates/icao9303/testdata/pa/make.sh    (from anywhere)
set -euo pipefail
export LC_ALL=C
OUT="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# --- helpers ---------------------------------------------------------------

# DER length octets of $1.
der_len() {
    local n=$1
    if ((n < 128)); then
        printf "\\x$(printf %02x "$n")"
    elif ((n < 256)); then
        printf "\\x81\\x$(printf %02x "$n")"
    else
        printf "\\x82\\x$(printf %02x $((n >> 8)))\\x$(printf %02x $((n & 255)))"
    fi
}

# wrap TAG_HEX IN: the TLV TAG { contents of IN } on stdout.
wrap() {
    printf "\\x$1"
    der_len "$(stat -c %s "$2")"
    cat "$2"
}

hexof() { xxd -p "$1" | tr -d '\n'; }
unhex() { xxd -r -p; }

# A CA directory for `openssl ca`.
ca_dir() {
    local d=$1
    mkdir -p "$d/new"
    : >"$d/index.txt"
    echo 1000 >"$d/serial"
    echo 01 >"$d/crlnumber"
    cat >"$d/ca.cnf" <<EOF
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = $WORK/$d
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
crlnumber = \$dir/crlnumber
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ csca ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ link ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ds ]
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ds_wrong_usage ]
keyUsage = critical, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ds_unknown_critical ]
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1 = critical, ASN1:NULL
EOF
}

CSCA_START=20250101000000Z
CSCA_END=20400101000000Z
DS_START=20250601000000Z
DS_END=20350601000000Z

# csca NAME KEY SUBJECT MD [SIGOPT...]: a self-signed CSCA in NAME/cert.pem.
csca() {
    local name=$1 key=$2 subj=$3 md=$4
    shift 4
    ca_dir "$name"
    openssl req -new -key "$key" -subj "$subj" -out "$name/req.pem" 2>/dev/null
    openssl ca -batch -config "$name/ca.cnf" -selfsign -keyfile "$key" -in "$name/req.pem" \
        -out "$name/cert.pem" -startdate "$CSCA_START" -enddate "$CSCA_END" -extensions csca \
        -md "$md" -preserveDN -notext "$@" 2>/dev/null
    cp "$key" "$name/key.pem"
}

# issue CA KEY SUBJECT EXT START END MD OUT [SIGOPT...]: a certificate of
# KEY's public key signed by CA.
issue() {
    local ca=$1 key=$2 subj=$3 ext=$4 start=$5 end=$6 md=$7 out=$8
    shift 8
    openssl req -new -key "$key" -subj "$subj" -out "$out.req" 2>/dev/null
    openssl ca -batch -config "$ca/ca.cnf" -cert "$ca/cert.pem" -keyfile "$ca/key.pem" \
        -in "$out.req" -out "$out" -startdate "$start" -enddate "$end" -extensions "$ext" \
        -md "$md" -preserveDN -notext "$@" 2>/dev/null
}

rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
ec_key() { openssl ecparam -name "$2" -genkey -noout -out "$1" 2>/dev/null; }
ec_key_explicit() { openssl ecparam -name "$2" -param_enc explicit -genkey -noout -out "$1" 2>/dev/null; }
der() { openssl x509 -in "$1" -outform DER -out "$2"; }

# --- data groups: a CCCD-like document ---------------------------------------

printf 'IDVNM2030000018001234567890<<<9612315M3612311VNM<<<<<<<<<<<8NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<' >mrz.txt
head -c 90 mrz.txt >mrz90.txt
{ printf '\x5f\x1f\x5a'; cat mrz90.txt; } >dg1.val
wrap 61 dg1.val >dg1.bin
openssl rand 600 >dg2.val && wrap 75 dg2.val >dg2.bin
openssl rand 120 >dg11.val && wrap 6b dg11.val >dg11.bin
openssl rand 400 >dg13.val && wrap 6d dg13.val >dg13.bin
openssl rand 300 >dg14.val && wrap 6e dg14.val >dg14.bin
openssl ecparam -name brainpoolP256r1 -genkey -noout -out aa.key 2>/dev/null
openssl ec -in aa.key -pubout -outform DER -out dg15.val 2>/dev/null
wrap 6f dg15.val >dg15.bin
openssl rand 64 >dg3.val && wrap 63 dg3.val >dg3.bin
cp dg1.bin dg1-tampered.bin
printf 'X' | dd of=dg1-tampered.bin bs=1 seek=40 conv=notrunc 2>/dev/null
DGS="1 2 11 13 14 15"

# lso HASH OUT [DG1FILE]: the LDSSecurityObject over the data groups.
lso() {
    local md=$1 out=$2 dg1=${3:-dg1.bin}
    {
        echo "asn1=SEQUENCE:lso"
        echo "[lso]"
        echo "version=INTEGER:0"
        echo "alg=SEQUENCE:alg"
        echo "hashes=SEQUENCE:hashes"
        echo "[alg]"
        echo "oid=OID:$md"
        echo "[hashes]"
        for n in $DGS; do echo "h$n=SEQUENCE:dg$n"; done
        for n in $DGS; do
            local f="dg$n.bin"
            [ "$n" = 1 ] && f=$dg1
            echo "[dg$n]"
            echo "n=INTEGER:$n"
            echo "h=FORMAT:HEX,OCTETSTRING:$(openssl dgst -"$md" -binary "$f" | xxd -p | tr -d '\n')"
        done
    } >"$out.cnf"
    openssl asn1parse -genconf "$out.cnf" -out "$out" -noout
}

# sod DSDIR/cert.pem KEY MD OUT [cms options...]: EF.SOD (tag 77).
sod() {
    local cert=$1 key=$2 md=$3 out=$4
    shift 4
    lso "$md" "$out.lso"
    openssl cms -sign -binary -nodetach -in "$out.lso" -signer "$cert" -inkey "$key" -md "$md" \
        -econtent_type 2.23.136.1.1.1 -nosmimecap -outform DER -out "$out.ci" "$@"
    wrap 77 "$out.ci" >"$out"
}

# --- CSCAs ---------------------------------------------------------------------

rsa_key csca-rsa.key
csca csca-rsa csca-rsa.key "/C=UT/O=Utopia/CN=CSCA Utopia RSA" sha256
ec_key_explicit csca-ec.key brainpoolP512r1
csca csca-ec csca-ec.key "/C=UT/O=Utopia/CN=CSCA Utopia EC" sha512
ec_key csca-other.key prime256v1
csca csca-other csca-other.key "/C=ZZ/O=Elsewhere/CN=CSCA Elsewhere" sha256
# A forger's CSCA with the very name and subject key identifier of the RSA
# CSCA (so its DS names the real CSCA's key as its authority key).
rsa_key csca-forged.key
real_ski=$(openssl x509 -in csca-rsa/cert.pem -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' ')
ca_dir csca-forged
cat >>csca-forged/ca.cnf <<EOF
[ csca_forged ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = $real_ski
EOF
openssl req -new -key csca-forged.key -subj "/C=UT/O=Utopia/CN=CSCA Utopia RSA" -out csca-forged/req.pem
openssl ca -batch -config csca-forged/ca.cnf -selfsign -keyfile csca-forged.key -in csca-forged/req.pem \
    -out csca-forged/cert.pem -startdate "$CSCA_START" -enddate "$CSCA_END" -extensions csca_forged \
    -md sha256 -preserveDN -notext 2>/dev/null
cp csca-forged.key csca-forged/key.pem
# The next RSA CSCA and its link certificate (new key, signed by the old).
rsa_key csca-new.key
csca csca-new csca-new.key "/C=UT/O=Utopia/CN=CSCA Utopia RSA 2" sha256
issue csca-rsa csca-new.key "/C=UT/O=Utopia/CN=CSCA Utopia RSA 2" link \
    "$CSCA_START" "$CSCA_END" sha256 link-rsa.pem

for c in csca-rsa csca-ec csca-other csca-new; do der "$c/cert.pem" "$OUT/$c.der"; done
der link-rsa.pem "$OUT/link-rsa.der"

# --- Document Signers and their SODs --------------------------------------------

# RSA PKCS#1 v1.5 (OpenSSL writes rsaEncryption as the signature algorithm).
rsa_key ds-rsa.key
issue csca-rsa ds-rsa.key "/C=UT/O=Utopia/CN=DS Utopia RSA" ds "$DS_START" "$DS_END" sha256 ds-rsa.pem
sod ds-rsa.pem ds-rsa.key sha256 sod-rsa.bin
# RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32; the DS certificate signed with PSS too.
rsa_key ds-pss.key
issue csca-rsa ds-pss.key "/C=UT/O=Utopia/CN=DS Utopia RSA-PSS" ds "$DS_START" "$DS_END" sha256 ds-pss.pem \
    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
sod ds-pss.pem ds-pss.key sha256 sod-rsa-pss.bin \
    -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:32
# RSASSA-PSS with SHA-384, MGF1-SHA-1, salt 20: parameters read, not assumed.
sod ds-pss.pem ds-pss.key sha384 sod-rsa-pss-mgf1sha1.bin \
    -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:20 -keyopt rsa_mgf1_md:sha1

# ECDSA: each curve with a hash of its own, under the EC CSCA.
ecds() { # NAME CURVE MD [explicit]
    if [ "${4:-}" = explicit ]; then ec_key_explicit "ds-$1.key" "$2"; else ec_key "ds-$1.key" "$2"; fi
    issue csca-ec "ds-$1.key" "/C=UT/O=Utopia/CN=DS Utopia $1" ds "$DS_START" "$DS_END" sha512 "ds-$1.pem"
    sod "ds-$1.pem" "ds-$1.key" "$3" "sod-$1.bin"
}
ecds p224 secp224r1 sha224
ecds p256 prime256v1 sha256
ecds p384 secp384r1 sha384
ecds p521 secp521r1 sha512
ecds bp224 brainpoolP224r1 sha1
ecds bp256 brainpoolP256r1 sha256
ecds bp320 brainpoolP320r1 sha384
ecds bp384 brainpoolP384r1 sha512
ecds bp512 brainpoolP512r1 sha512 explicit
# The hash follows the signature algorithm, not the curve: P-256 with SHA-512.
sod ds-p256.pem ds-p256.key sha512 sod-p256-sha512.bin
# A DS key on a curve no ICAO profile uses (secp256k1), written with
# explicit parameters: refused, with the reason.
ecds k1-explicit secp256k1 sha256 explicit

# No signed attributes: the signature covers the LDSSecurityObject itself.
sod ds-rsa.pem ds-rsa.key sha256 sod-rsa-noattr.bin -noattr
# No certificate in the SOD: the DS certificate is supplied apart.
sod ds-rsa.pem ds-rsa.key sha256 sod-rsa-nocerts.bin -nocerts
der ds-rsa.pem "$OUT/ds-rsa.der"
# Signed by the new CSCA's key (reached through the link certificate).
rsa_key ds-new.key
issue csca-new ds-new.key "/C=UT/O=Utopia/CN=DS Utopia RSA under CSCA 2" ds "$DS_START" "$DS_END" sha256 ds-new.pem
sod ds-new.pem ds-new.key sha256 sod-rsa-link.bin

# --- negative cases -------------------------------------------------------------

# Flipped signature byte (the last byte of the file is the signature's).
cp sod-rsa.bin sod-bad-signature.bin
last=$(tail -c 1 sod-rsa.bin | xxd -p)
printf "\\x$(printf %02x $((0x$last ^ 0x01)))" | dd of=sod-bad-signature.bin bs=1 \
    seek=$(($(stat -c %s sod-rsa.bin) - 1)) conv=notrunc 2>/dev/null
# Wrong message digest: the signed LDSSecurityObject swapped for one whose
# DG1 hash is the tampered DG1's (same length), signature left as it was.
lso sha256 tampered.lso dg1-tampered.bin
hexof sod-rsa.bin | sed "s/$(hexof sod-rsa.bin.lso)/$(hexof tampered.lso)/" | unhex >sod-wrong-digest.bin
# Wrong eContentType.
lso sha256 plain.lso
openssl cms -sign -binary -nodetach -in plain.lso -signer ds-rsa.pem -inkey ds-rsa.key -md sha256 \
    -econtent_type 1.2.840.113549.1.7.1 -nosmimecap -outform DER -out wrong-type.ci
wrap 77 wrong-type.ci >sod-wrong-content-type.bin
# Truncated.
head -c 1000 sod-rsa.bin >sod-truncated.bin
# Expired DS (2020-2021).
rsa_key ds-expired.key
issue csca-rsa ds-expired.key "/C=UT/O=Utopia/CN=DS Utopia expired" ds 20200101000000Z 20210101000000Z sha256 ds-expired.pem
sod ds-expired.pem ds-expired.key sha256 sod-expired-ds.bin
# A DS whose certificate says keyCertSign, not digitalSignature.
rsa_key ds-usage.key
issue csca-rsa ds-usage.key "/C=UT/O=Utopia/CN=DS Utopia wrong usage" ds_wrong_usage "$DS_START" "$DS_END" sha256 ds-usage.pem
sod ds-usage.pem ds-usage.key sha256 sod-wrong-key-usage.bin
# A DS with a critical extension nobody knows (RFC 5280 §4.2: refuse it).
rsa_key ds-critical.key
issue csca-rsa ds-critical.key "/C=UT/O=Utopia/CN=DS Utopia critical" ds_unknown_critical "$DS_START" "$DS_END" sha256 ds-critical.pem
sod ds-critical.pem ds-critical.key sha256 sod-unknown-critical-extension.bin
# A DS issued by the forger's CSCA (same issuer name as the real one).
rsa_key ds-forged.key
issue csca-forged ds-forged.key "/C=UT/O=Utopia/CN=DS Utopia RSA" ds "$DS_START" "$DS_END" sha256 ds-forged.pem
sod ds-forged.pem ds-forged.key sha256 sod-forged-ds.bin
# A revoked DS and the RSA CSCA's CRL.
rsa_key ds-revoked.key
issue csca-rsa ds-revoked.key "/C=UT/O=Utopia/CN=DS Utopia revoked" ds "$DS_START" "$DS_END" sha256 ds-revoked.pem
sod ds-revoked.pem ds-revoked.key sha256 sod-revoked-ds.bin
openssl ca -batch -config csca-rsa/ca.cnf -cert csca-rsa/cert.pem -keyfile csca-rsa/key.pem \
    -revoke ds-revoked.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -batch -config csca-rsa/ca.cnf -cert csca-rsa/cert.pem -keyfile csca-rsa/key.pem \
    -gencrl -crl_lastupdate 20260101000000Z -crl_nextupdate 20360101000000Z -md sha256 \
    -out crl-rsa.pem 2>/dev/null
openssl crl -in crl-rsa.pem -outform DER -out "$OUT/crl-rsa.der"

# --- out -------------------------------------------------------------------------

for n in $DGS 3; do cp "dg$n.bin" "$OUT/dg$n.bin"; done
cp dg1-tampered.bin "$OUT/"
cp sod-*.bin "$OUT/"
# A PEM bundle of the two Utopia CSCAs, for the trust-store loader.
cat csca-rsa/cert.pem csca-ec/cert.pem | grep -v '^ ' >"$OUT/csca-utopia.pem"
(cd "$OUT" && sha256sum ./*.der ./*.bin ./*.pem >SHA256SUMS)
echo "made $(ls "$OUT" | wc -l) files in $OUT"
