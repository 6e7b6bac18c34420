/** The content-addressed blob store on disk and the serving of stored files with ranges and validators. */
package pomf.storage;
