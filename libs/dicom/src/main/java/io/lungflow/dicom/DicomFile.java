package io.lungflow.dicom;

/** A Part 10 file as read: its file meta information (group 0002), the data set, and the transfer syntax the data set was in. */
public record DicomFile(Attributes meta, Attributes dataset, TransferSyntax transferSyntax) {
}
