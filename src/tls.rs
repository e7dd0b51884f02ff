//! HTTPS for `--tls`: a certificate for `localhost`, `127.0.0.1` and `::1`, generated at start
//! (or loaded from `--tls-cert`/`--tls-key`), so clients that hard-code `https://` work by
//! trusting one PEM file through their CA-bundle setting.
//!
//! The generated PEM file holds a throwaway CA that signed the server's certificate: clients
//! built on webpki (rustls) accept a CA as a trust anchor but not a self-signed leaf, while
//! OpenSSL- and Node-based clients accept either.

use anyhow::{Context, bail};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the server presents, and the PEM file clients should trust.
pub struct Tls {
    pub config: ServerConfig,
    /// Absolute path of the PEM file to trust (the generated CA, or the given certificate).
    pub trust_pem: PathBuf,
}

/// The server's TLS setup: the given certificate and key, or freshly generated ones whose CA is
/// written to `generated_pem`.
pub fn setup(cert: Option<&Path>, key: Option<&Path>, generated_pem: &Path) -> anyhow::Result<Tls> {
    let (chain, private_key, trust_pem) = match (cert, key) {
        (Some(cert), Some(key)) => {
            let chain = CertificateDer::pem_file_iter(cert)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .with_context(|| format!("cannot read certificates from {}", cert.display()))?;
            if chain.is_empty() {
                bail!("no certificate in {}", cert.display());
            }
            let private_key = PrivateKeyDer::from_pem_file(key)
                .with_context(|| format!("cannot read a private key from {}", key.display()))?;
            (chain, private_key, absolute(cert)?)
        }
        (None, None) => {
            let generated = generate()?;
            std::fs::write(generated_pem, &generated.ca_pem)
                .with_context(|| format!("cannot write {}", generated_pem.display()))?;
            (
                generated.chain,
                generated.private_key,
                absolute(generated_pem)?,
            )
        }
        _ => bail!("--tls-cert and --tls-key go together"),
    };
    let config = ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("TLS protocol versions")?
    .with_no_client_auth()
    .with_single_cert(chain, private_key)
    .context("the TLS certificate does not match its key")?;
    Ok(Tls { config, trust_pem })
}

struct Generated {
    ca_pem: String,
    chain: Vec<CertificateDer<'static>>,
    private_key: PrivateKeyDer<'static>,
}

/// A CA and a server certificate it signed (ECDSA P-256: generated in well under a millisecond,
/// so `--tls` costs nothing at start).
fn generate() -> anyhow::Result<Generated> {
    let ca_key = KeyPair::generate().context("generating the CA key")?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name
        .push(DnType::CommonName, "ion-mock local CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).context("signing the CA")?;

    let server_key = KeyPair::generate().context("generating the server key")?;
    let mut server = CertificateParams::new(vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ])?;
    server
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let issuer = Issuer::from_params(&ca, &ca_key);
    let server_cert = server
        .signed_by(&server_key, &issuer)
        .context("signing the server certificate")?;

    Ok(Generated {
        ca_pem: ca_cert.pem(),
        chain: vec![server_cert.der().clone(), ca_cert.der().clone()],
        private_key: PrivateKeyDer::try_from(server_key.serialize_der())
            .map_err(|e| anyhow::anyhow!("server key: {e}"))?,
    })
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))
}
