//! A model of the contactless link (ISO/IEC 14443-4 over Type A) that
//! turns a reader's exchanges into a modelled reading time.
//!
//! For each APDU exchange `(command bytes, response bytes)`:
//!
//! - each direction is cut into I-blocks of at most `frame_payload` bytes
//!   (FSC/FSD 256 less the prologue and CRC); every block adds
//!   `frame_overhead` bytes (PCB, CRC) and a frame delay `frame_gap`;
//!   every block but the last of a chain is acknowledged by an R(ACK)
//!   block (`frame_overhead` bytes and a frame delay the other way);
//! - every byte on the air costs `bits_per_byte` bit periods at
//!   `bit_rate` (9 for Type A: 8 data bits and a parity bit);
//! - the chip spends `turnaround` on each APDU (decrypting, checking the
//!   MAC, reading its memory, encrypting the answer).
//!
//! The numbers are a model, not a measurement: they compare reading
//! strategies (APDU counts and sizes) on one link, they do not predict a
//! particular chip.
//!
//! ```
//! use icao9303::link_model::LinkModel;
//!
//! let link = LinkModel::iso14443(424_000, 5_000);
//! // One 20-byte command and a 258-byte answer.
//! let t = link.time_us(&[(20, 258)]);
//! assert!(t > 5_000.0 && t < 12_000.0);
//! ```

/// The parameters of the link.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinkModel {
    /// Bits per second on the air: 106 000, 212 000, 424 000 or 848 000.
    pub bit_rate: u32,
    /// Bit periods per byte (9 for Type A with parity).
    pub bits_per_byte: u32,
    /// The most APDU bytes one I-block carries.
    pub frame_payload: usize,
    /// The bytes one block adds (PCB, CRC).
    pub frame_overhead: usize,
    /// The delay between two frames, in microseconds.
    pub frame_gap_us: f64,
    /// The chip's processing time per APDU, in microseconds.
    pub turnaround_us: f64,
}

impl LinkModel {
    /// ISO/IEC 14443-4 Type A at `bit_rate` bit/s, frames of 256 bytes
    /// (253 bytes of APDU per block), 3 bytes of PCB and CRC per block,
    /// 100 µs between frames, `turnaround_us` per APDU.
    pub const fn iso14443(bit_rate: u32, turnaround_us: u32) -> LinkModel {
        LinkModel {
            bit_rate,
            bits_per_byte: 9,
            frame_payload: 253,
            frame_overhead: 3,
            frame_gap_us: 100.0,
            turnaround_us: turnaround_us as f64,
        }
    }

    fn bytes_us(&self, bytes: usize) -> f64 {
        if self.bit_rate == 0 {
            return 0.0;
        }
        bytes as f64 * f64::from(self.bits_per_byte) * 1_000_000.0 / f64::from(self.bit_rate)
    }

    /// The time one direction of an exchange takes: its blocks and their
    /// acknowledgements.
    fn direction_us(&self, len: usize) -> f64 {
        let payload = self.frame_payload.max(1);
        let blocks = len.div_ceil(payload).max(1);
        let acks = blocks.saturating_sub(1);
        let bytes = len
            .saturating_add(blocks.saturating_mul(self.frame_overhead))
            .saturating_add(acks.saturating_mul(self.frame_overhead));
        self.bytes_us(bytes) + (blocks.saturating_add(acks)) as f64 * self.frame_gap_us
    }

    /// The modelled time of one exchange, in microseconds.
    pub fn exchange_us(&self, command: usize, response: usize) -> f64 {
        self.direction_us(command) + self.turnaround_us + self.direction_us(response)
    }

    /// The modelled time of a sequence of exchanges `(command bytes,
    /// response bytes)`, in microseconds.
    pub fn time_us(&self, exchanges: &[(u32, u32)]) -> f64 {
        exchanges
            .iter()
            .map(|(c, r)| self.exchange_us(*c as usize, *r as usize))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_short_exchange() {
        let m = LinkModel::iso14443(106_000, 1_000);
        // 5 + 3 bytes out, 10 + 3 back: 21 bytes * 9 bits at 106 kbit/s,
        // two frame gaps, the turnaround.
        let expected = 21.0 * 9.0 * 1e6 / 106_000.0 + 200.0 + 1_000.0;
        assert!((m.exchange_us(5, 10) - expected).abs() < 1e-9);
    }

    #[test]
    fn chained_exchange() {
        let m = LinkModel::iso14443(424_000, 0);
        // 600 bytes back: 3 blocks and 2 acknowledgements.
        let expected_rsp = (600.0 + 5.0 * 3.0) * 9.0 * 1e6 / 424_000.0 + 5.0 * 100.0;
        let expected_cmd = 8.0 * 9.0 * 1e6 / 424_000.0 + 100.0;
        assert!((m.exchange_us(5, 600) - (expected_cmd + expected_rsp)).abs() < 1e-9);
        assert_eq!(m.time_us(&[]), 0.0);
    }
}
