// A CCCD or passport read on an iPhone with CoreNFC, driving dinhdanh's
// sans-IO ReadSession from NFCISO7816Tag.sendCommand's completion handlers:
// the session gives each command APDU, the tag's answer goes back into it,
// and no thread blocks waiting for the card.
//
// NOT COMPILED HERE: the project's machines have no Swift toolchain (and no
// iOS SDK). Its calls were checked by eye against ../generated/Dinhdanh.swift
// as regenerated with the ReadSession object: `try ReadSession(credential:
// options:)`, `nextCommand() -> Data?`, `handleResponse(response:)`,
// `linkLost(message:)`, `finish() -> Document`.
//
// The app's Info.plist needs NFCReaderUsageDescription and, under
// com.apple.developer.nfc.readersession.iso7816.select-identifiers, the
// eMRTD application A0000002471001; its entitlements, the NFC tag reading
// capability ("TAG" format).

import CoreNFC
import Dinhdanh
import Foundation

/// Reads one card, then calls `completion` on CoreNFC's queue.
final class CardReader: NSObject, NFCTagReaderSessionDelegate {
    private let credential: Credential
    private let completion: (Result<Document, Error>) -> Void
    private var nfc: NFCTagReaderSession?
    private var read: ReadSession?
    private var done = false

    /// - Parameter credential: e.g. `try Credential.cccd(idNumber:
    ///   "001099012345", dateOfBirth: "990315", dateOfExpiry: "390315")`
    ///   from the card's face, or `try Credential.can(can: "123456")`.
    init(credential: Credential, completion: @escaping (Result<Document, Error>) -> Void) {
        self.credential = credential
        self.completion = completion
    }

    func begin() {
        nfc = NFCTagReaderSession(pollingOption: .iso14443, delegate: self, queue: nil)
        nfc?.alertMessage = "Hold the top of your iPhone against the chip card."
        nfc?.begin()
    }

    func tagReaderSessionDidBecomeActive(_ session: NFCTagReaderSession) {}

    func tagReaderSession(_ session: NFCTagReaderSession, didInvalidateWithError error: Error) {
        // Also called after our own invalidate(): only a first outcome counts.
        end(.failure(error))
    }

    func tagReaderSession(_ session: NFCTagReaderSession, didDetect tags: [NFCTag]) {
        guard let first = tags.first, case let .iso7816(tag) = first else {
            session.invalidate(errorMessage: "This is not an ID card or passport chip.")
            return
        }
        session.connect(to: first) { error in
            if let error {
                self.fail(session, error)
                return
            }
            do {
                // PACE, else BAC; Chip and Active Authentication on.
                self.read = try ReadSession(credential: self.credential, options: nil)
                self.step(tag, session)
            } catch {
                self.fail(session, error)
            }
        }
    }

    /// One exchange: the session's next command to the tag; its answer (data
    /// and status word, as the session wants them) back to the session, and
    /// the next step from the completion handler.
    private func step(_ tag: NFCISO7816Tag, _ session: NFCTagReaderSession) {
        guard let read else { return }
        do {
            guard let command = read.nextCommand() else {
                let document = try read.finish()
                session.alertMessage = "Read."
                end(.success(document))
                session.invalidate()
                return
            }
            guard let apdu = NFCISO7816APDU(data: command) else {
                throw DinhdanhError.InvalidArgument(argument: "command", problem: "CoreNFC refused the APDU")
            }
            tag.sendCommand(apdu: apdu) { data, sw1, sw2, error in
                if let error {
                    // NFCReaderError.readerTransceiveErrorTagConnectionLost
                    // when the card moved: the session's progress is kept.
                    self.fail(session, error)
                    return
                }
                do {
                    try read.handleResponse(response: data + Data([sw1, sw2]))
                    self.step(tag, session)
                } catch {
                    self.fail(session, error)
                }
            }
        } catch {
            fail(session, error)
        }
    }

    private func fail(_ session: NFCTagReaderSession, _ error: Error) {
        switch error {
        case DinhdanhError.AccessDenied:
            session.invalidate(errorMessage: "The chip refused the key: check the number and dates.")
        default:
            session.invalidate(errorMessage: "The card could not be read.")
        }
        end(.failure(error))
    }

    private func end(_ result: Result<Document, Error>) {
        guard !done else { return }
        done = true
        read = nil
        completion(result)
    }
}

// What the app does with the document: passive authentication against the
// CSCA certificates it trusts (Vietnam's, from the ICAO PKD or a master
// list), at the phone's time, then the holder's data.
func check(_ document: Document, cscas: [Data]) throws -> String {
    let verdict = try verifyPassive(
        sod: document.files["EF.SOD"] ?? Data(),
        dataGroups: document.dataGroups,
        trustAnchors: cscas,
        atUnixSeconds: Int64(Date().timeIntervalSince1970)
    )
    guard verdict.valid() else { return "not genuine: \(verdict.summary())" }
    return document.dg13?.fullName ?? document.dg1?.documentNumber ?? "?"
}
