package io.lungflow.ingest.dimse;

import io.lungflow.dicom.Attributes;
import io.lungflow.dicom.DicomElement;
import io.lungflow.dicom.DicomException;
import io.lungflow.dicom.DicomReader;
import io.lungflow.dicom.DicomWriter;
import io.lungflow.dicom.TransferSyntax;
import io.lungflow.dicom.VR;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One association of the Storage SCP (PS3.8 §9 upper layer, PS3.7 §9.1.1 C-STORE and §9.1.5
 * C-ECHO): negotiation, P-DATA reassembly into a command and a data set (streamed to disk),
 * responses with their status, release and abort.
 */
final class Association implements Runnable {

    private static final Logger LOG = Logger.getLogger(Association.class);

    static final String VERIFICATION = "1.2.840.10008.1.1";
    /** CT, CR, DX for presentation, DX for processing, Secondary Capture, and Verification. */
    static final List<String> ABSTRACT_SYNTAXES = List.of("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.1",
            "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1.1", "1.2.840.10008.5.1.4.1.1.7", VERIFICATION);
    /** In order of preference: uncompressed first, then the lossless compressions, then the lossy ones. JPEG-LS is negotiated away. */
    static final List<TransferSyntax> ACCEPTED = List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.JPEG_LOSSLESS_SV1, TransferSyntax.JPEG_LOSSLESS,
            TransferSyntax.RLE_LOSSLESS, TransferSyntax.JPEG_2000_LOSSLESS, TransferSyntax.JPEG_BASELINE, TransferSyntax.JPEG_EXTENDED,
            TransferSyntax.JPEG_2000);

    private static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    /** C-STORE statuses (PS3.4 Table B.2-1, PS3.7 Annex C). */
    static final int SUCCESS = 0x0000;
    static final int PROCESSING_FAILURE = 0x0110;
    /** Refused, out of resources: storage or broker unavailable; the peer is to send it again later. */
    static final int OUT_OF_RESOURCES = 0xA700;
    /** Error, cannot understand (C000–CFFF, failures the peer should not repeat): not a readable image. */
    static final int CANNOT_UNDERSTAND = 0xC000;
    /** Larger than the node takes; refused as it arrived, nothing kept. */
    static final int TOO_LARGE = 0xC001;
    /** A value lungflow cannot keep (a UID or Modality outside what DICOM allows). */
    static final int VALUE_NOT_KEPT = 0xC002;

    /** A C-STORE's status and, for a failure, its reason (the response's Error Comment). */
    record Outcome(int status, String comment) {
        static final Outcome STORED = new Outcome(SUCCESS, null);
    }

    /** What the pipeline answers for a stored instance. */
    interface Store {
        Outcome store(Path part10, String callingAeTitle);
    }

    /** Asked once a request's AE titles pass: whether the node has a slot for the association (false rejects it as transient). */
    interface Admission {
        boolean admit();
    }

    private final Socket socket;
    private final DicomNodeConfig config;
    private final Store store;
    private final Path spool;
    private final long maxInstanceSize;
    private final Admission admission;
    private final Map<Integer, TransferSyntax> accepted = new LinkedHashMap<>();
    private final Map<Integer, String> abstractSyntaxes = new LinkedHashMap<>();
    private String callingAe = "";
    private int peerMaxPdu = 16384;

    /**
     * @param maxInstanceSize the largest instance (as a Part 10 file) stored; a larger one is refused as its bytes arrive
     * @param admission whether a request that passed the AE title checks gets an association slot
     */
    Association(Socket socket, DicomNodeConfig config, Store store, Path spool, long maxInstanceSize, Admission admission) {
        this.socket = socket;
        this.config = config;
        this.store = store;
        this.spool = spool;
        this.maxInstanceSize = maxInstanceSize;
        this.admission = admission;
    }

    @Override
    public void run() {
        try (socket) {
            socket.setSoTimeout((int) config.idleTimeout().toMillis());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (!negotiate(in, out)) {
                return;
            }
            serve(in, out);
        } catch (java.net.SocketException e) {
            LOG.infof("Association from %s closed: %s", callingAe, e.getMessage());
        } catch (java.net.SocketTimeoutException e) {
            LOG.infof("Association from %s idle for %s: aborted", callingAe, config.idleTimeout());
        } catch (IOException | RuntimeException e) {
            LOG.infof("Association from %s ended: %s", callingAe, e.getMessage());
        }
    }

    private boolean negotiate(DataInputStream in, OutputStream out) throws IOException {
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        long length = in.readInt() & 0xFFFFFFFFL;
        if (type != 0x01 || length < 68 || length > 1 << 20) {
            abort(out, 2);
            return false;
        }
        byte[] pdu = in.readNBytes((int) length);
        String called = ae(pdu, 4);
        callingAe = ae(pdu, 20);
        List<String> allowed = config.allowedCallingAeTitles().orElse(List.of());
        if (!called.equals(config.aeTitle())) {
            LOG.infof("Association from %s refused: it called %s, this node is %s", callingAe, called, config.aeTitle());
            reject(out, 7);
            return false;
        }
        if (!allowed.isEmpty() && !allowed.contains(callingAe)) {
            LOG.infof("Association from %s refused: not an allowed calling AE title", callingAe);
            reject(out, 3);
            return false;
        }
        if (!admission.admit()) {
            pdu(out, 0x03, TRANSIENT_LOCAL_LIMIT);
            return false;
        }
        ByteArrayOutputStream contexts = new ByteArrayOutputStream();
        int at = 68;
        while (at + 4 <= pdu.length) {
            int itemType = pdu[at] & 0xFF;
            int itemLength = u16(pdu, at + 2);
            int body = at + 4;
            if (body + itemLength > pdu.length) {
                abort(out, 2);
                return false;
            }
            if (itemType == 0x20) {
                contexts.writeBytes(presentationContext(pdu, body, itemLength));
            } else if (itemType == 0x50) {
                userInformation(pdu, body, itemLength);
            }
            at = body + itemLength;
        }
        ByteArrayOutputStream ac = new ByteArrayOutputStream();
        ac.writeBytes(new byte[] {0, 1, 0, 0});
        ac.writeBytes(Arrays16.pad(called));
        ac.writeBytes(Arrays16.pad(callingAe));
        ac.writeBytes(new byte[32]);
        ac.writeBytes(item(0x10, APPLICATION_CONTEXT.getBytes(StandardCharsets.US_ASCII)));
        ac.writeBytes(contexts.toByteArray());
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        user.writeBytes(item(0x51, int32(config.maxPduLength())));
        user.writeBytes(item(0x52, DicomWriter.IMPLEMENTATION_CLASS_UID.getBytes(StandardCharsets.US_ASCII)));
        user.writeBytes(item(0x55, DicomWriter.IMPLEMENTATION_VERSION.getBytes(StandardCharsets.US_ASCII)));
        ac.writeBytes(item(0x50, user.toByteArray()));
        pdu(out, 0x02, ac.toByteArray());
        LOG.infof("Association from %s accepted: %d of its presentation contexts", callingAe, accepted.size());
        return true;
    }

    private byte[] presentationContext(byte[] pdu, int start, int length) {
        int id = pdu[start] & 0xFF;
        String abstractSyntax = null;
        List<String> offered = new ArrayList<>();
        int at = start + 4;
        while (at + 4 <= start + length) {
            int type = pdu[at] & 0xFF;
            int len = u16(pdu, at + 2);
            String uid = new String(pdu, at + 4, Math.min(len, start + length - at - 4), StandardCharsets.US_ASCII).replace("\0", "").strip();
            if (type == 0x30) {
                abstractSyntax = uid;
            } else if (type == 0x40) {
                offered.add(uid);
            }
            at += 4 + len;
        }
        int result;
        TransferSyntax chosen = null;
        if (abstractSyntax == null || !ABSTRACT_SYNTAXES.contains(abstractSyntax)) {
            result = 3; // abstract-syntax-not-supported
        } else {
            for (TransferSyntax ts : ACCEPTED) {
                if (offered.contains(ts.uid())) {
                    chosen = ts;
                    break;
                }
            }
            result = chosen == null ? 4 : 0; // transfer-syntaxes-not-supported, or acceptance
        }
        if (chosen != null) {
            accepted.put(id, chosen);
            abstractSyntaxes.put(id, abstractSyntax);
        }
        ByteArrayOutputStream item = new ByteArrayOutputStream();
        item.writeBytes(new byte[] {(byte) id, 0, (byte) result, 0});
        String ts = chosen != null ? chosen.uid() : offered.isEmpty() ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid() : offered.get(0);
        item.writeBytes(item(0x40, ts.getBytes(StandardCharsets.US_ASCII)));
        return item(0x21, item.toByteArray());
    }

    private void userInformation(byte[] pdu, int start, int length) {
        int at = start;
        while (at + 4 <= start + length) {
            int type = pdu[at] & 0xFF;
            int len = u16(pdu, at + 2);
            if (type == 0x51 && len == 4) {
                long max = ((pdu[at + 4] & 0xFFL) << 24) | ((pdu[at + 5] & 0xFFL) << 16) | ((pdu[at + 6] & 0xFFL) << 8) | (pdu[at + 7] & 0xFFL);
                peerMaxPdu = max == 0 ? 1 << 20 : (int) Math.min(max, 1 << 20);
            }
            at += 4 + len;
        }
    }

    private void serve(DataInputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        Path data = null;
        OutputStream dataOut = null;
        int dataContext = -1;
        long received = 0;
        boolean tooLarge = false;
        while (true) {
            int type = in.readUnsignedByte();
            in.readUnsignedByte();
            long length = in.readInt() & 0xFFFFFFFFL;
            if (type == 0x05) {
                in.readNBytes((int) Math.min(length, 4));
                pdu(out, 0x06, new byte[4]);
                LOG.infof("Association from %s released", callingAe);
                return;
            }
            if (type == 0x07) {
                LOG.infof("Association from %s aborted by the peer", callingAe);
                return;
            }
            if (type != 0x04 || length > config.maxPduLength() + 6L) {
                abort(out, type != 0x04 ? 2 : 6);
                return;
            }
            long remaining = length;
            while (remaining > 0) {
                long pdvLength = in.readInt() & 0xFFFFFFFFL;
                if (pdvLength < 2 || pdvLength > remaining - 4) {
                    abort(out, 6);
                    return;
                }
                int context = in.readUnsignedByte();
                int header = in.readUnsignedByte();
                byte[] fragment = in.readNBytes((int) pdvLength - 2);
                if (fragment.length < pdvLength - 2) {
                    throw new EOFException("the peer closed inside a PDV");
                }
                remaining -= 4 + pdvLength;
                boolean isCommand = (header & 1) == 1;
                boolean last = (header & 2) == 2;
                if (isCommand) {
                    command.writeBytes(fragment);
                    if (last) {
                        Attributes cmd = readCommand(command.toByteArray());
                        command.reset();
                        int field = cmd.getUnsignedShort(0x00000100, 0);
                        if (field == 0x0030) {
                            respond(out, context, cmd, 0x8030, new Outcome(SUCCESS, null));
                        } else if (field == 0x0001 && cmd.getUnsignedShort(0x00000800, 0x0101) == 0x0101) {
                            respond(out, context, cmd, 0x8001, new Outcome(0xA900, "a C-STORE without a data set"));
                        } else if (field != 0x0001) {
                            respond(out, context, cmd, field | 0x8000, new Outcome(0x0211, null)); // unrecognised operation
                        } else {
                            pending = cmd;
                            dataContext = context;
                            data = Files.createTempFile(spool, "cstore-", ".dcm");
                            dataOut = Files.newOutputStream(data);
                            received = writeHeader(dataOut, cmd, accepted.get(context));
                            tooLarge = false;
                        }
                    }
                } else {
                    if (data == null || context != dataContext) {
                        abort(out, 6);
                        return;
                    }
                    received += fragment.length;
                    if (!tooLarge && received > maxInstanceSize) {
                        // Refused as it arrives: what was written goes, the rest is read and dropped, and the answer says why.
                        tooLarge = true;
                        dataOut.close();
                        Files.deleteIfExists(data);
                        LOG.infof("C-STORE from %s refused: larger than the %d-byte limit (lungflow.ingest.max-upload-size)", callingAe,
                                maxInstanceSize);
                    }
                    if (!tooLarge) {
                        dataOut.write(fragment);
                    }
                    if (last) {
                        Outcome outcome;
                        if (tooLarge) {
                            outcome = new Outcome(TOO_LARGE, "larger than the " + maxInstanceSize + "-byte limit; not stored");
                        } else {
                            dataOut.close();
                            outcome = store.store(data, callingAe);
                            Files.deleteIfExists(data);
                        }
                        dataOut = null;
                        data = null;
                        respond(out, context, pending, 0x8001, outcome);
                    }
                }
            }
        }
    }

    private Attributes pending;

    /** The Part 10 preamble and meta, so the received data set is a file like an upload; returns the bytes written. */
    private static int writeHeader(OutputStream out, Attributes cmd, TransferSyntax ts) throws IOException {
        Attributes meta = new Attributes()
                .putString(io.lungflow.dicom.Tag.SOP_CLASS_UID, VR.UI, nonNull(cmd.getString(0x00000002)))
                .putString(io.lungflow.dicom.Tag.SOP_INSTANCE_UID, VR.UI, nonNull(cmd.getString(0x00001000)));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        new DicomWriter().write(whole, meta, ts);
        // The writer wrote preamble, meta and the two UIDs as a data set: keep only preamble and meta.
        byte[] all = whole.toByteArray();
        int metaEnd = 132 + 12 + (int) ((all[140] & 0xFFL) | (all[141] & 0xFFL) << 8 | (all[142] & 0xFFL) << 16 | (all[143] & 0xFFL) << 24);
        out.write(all, 0, metaEnd);
        return metaEnd;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static Attributes readCommand(byte[] bytes) throws IOException {
        try {
            return new DicomReader(new DicomReader.Limits(1 << 16, 1 << 16, 2)).read(new ByteArrayInputStream(bytes)).dataset();
        } catch (DicomException e) {
            throw new IOException("a command set does not parse: " + e.getMessage(), e);
        }
    }

    private void respond(OutputStream out, int context, Attributes request, int field, Outcome outcome) throws IOException {
        Attributes rsp = new Attributes();
        String sopClass = request.getString(0x00000002);
        String sopInstance = request.getString(0x00001000);
        if (sopClass != null) {
            rsp.putString(0x00000002, VR.UI, sopClass);
        }
        rsp.putUnsignedShort(0x00000100, field);
        rsp.putUnsignedShort(0x00000120, request.getUnsignedShort(0x00000110, 0));
        rsp.putUnsignedShort(0x00000800, 0x0101);
        rsp.putUnsignedShort(0x00000900, outcome.status());
        if (outcome.comment() != null) {
            // Error Comment is LO: at most 64 characters, no backslash or control characters.
            String comment = outcome.comment().replaceAll("[\\\\\\p{Cntrl}]", " ");
            rsp.putString(0x00000902, VR.LO, comment.length() > 64 ? comment.substring(0, 64) : comment);
        }
        if (sopInstance != null) {
            rsp.putString(0x00001000, VR.UI, sopInstance);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        new DicomWriter().writeDataset(body, rsp, false);
        ByteArrayOutputStream withLength = new ByteArrayOutputStream();
        Attributes length = new Attributes();
        length.put(DicomElement.of(0x00000000, VR.UL, int32le(body.size())));
        new DicomWriter().writeDataset(withLength, length, false);
        body.writeTo(withLength);
        byte[] command = withLength.toByteArray();
        ByteArrayOutputStream pdv = new ByteArrayOutputStream();
        pdv.writeBytes(int32(command.length + 2));
        pdv.write(context);
        pdv.write(0x03); // command, last fragment
        pdv.writeBytes(command);
        if (pdv.size() > peerMaxPdu && peerMaxPdu > 0) {
            LOG.warnf("A response of %d bytes exceeds %s's maximum PDU of %d; sent anyway", pdv.size(), callingAe, peerMaxPdu);
        }
        pdu(out, 0x04, pdv.toByteArray());
    }

    /**
     * Answers an association this node has no slot for: it reads the A-ASSOCIATE-RQ (bounded, with
     * a short timeout) and rejects it as transient, local-limit-exceeded (PS3.8 Table 9-21), so the
     * peer knows to send again later.
     */
    static void refuseBusy(Socket socket) {
        try (socket) {
            socket.setSoTimeout(2000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readUnsignedByte();
            in.readUnsignedByte();
            long length = in.readInt() & 0xFFFFFFFFL;
            in.skipNBytes(Math.min(length, 1 << 20));
            pdu(socket.getOutputStream(), 0x03, TRANSIENT_LOCAL_LIMIT);
            socket.shutdownOutput();
        } catch (IOException e) {
            LOG.debugf("Refusing a busy association: %s", e.getMessage());
        }
    }

    /** A-ASSOCIATE-RJ: rejected-transient, by the service provider (presentation related), local limit exceeded. */
    private static final byte[] TRANSIENT_LOCAL_LIMIT = {0, 2, 3, 2};

    private static void reject(OutputStream out, int reason) throws IOException {
        pdu(out, 0x03, new byte[] {0, 1, 1, (byte) reason}); // rejected-permanent, by the service user
    }

    private static void abort(OutputStream out, int reason) throws IOException {
        pdu(out, 0x07, new byte[] {0, 0, 2, (byte) reason}); // by the service provider
    }

    private static void pdu(OutputStream out, int type, byte[] body) throws IOException {
        ByteArrayOutputStream pdu = new ByteArrayOutputStream();
        pdu.write(type);
        pdu.write(0);
        pdu.writeBytes(int32(body.length));
        pdu.writeBytes(body);
        out.write(pdu.toByteArray());
        out.flush();
    }

    /** A PDU item or sub-item: type, a reserved byte, a 2-byte length, the value (PS3.8 §9.3). */
    static byte[] item(int type, byte[] value) {
        ByteArrayOutputStream item = new ByteArrayOutputStream();
        item.write(type);
        item.write(0);
        item.write(value.length >> 8);
        item.write(value.length);
        item.writeBytes(value);
        return item.toByteArray();
    }

    private static String ae(byte[] pdu, int at) {
        return new String(pdu, at, 16, StandardCharsets.US_ASCII).strip();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static byte[] int32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] int32le(long v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    /** AE titles are 16 bytes, space padded. */
    static final class Arrays16 {
        static byte[] pad(String ae) {
            byte[] b = new byte[16];
            java.util.Arrays.fill(b, (byte) ' ');
            byte[] s = ae.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, b, 0, Math.min(16, s.length));
            return b;
        }

        private Arrays16() {
        }
    }

}
