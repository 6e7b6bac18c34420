package pomf.it.servers;

import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import java.util.ArrayList;
import java.util.List;

/** What a bucket holds, asked through the S3 API as any client would: its keys, its multipart uploads in flight. */
public final class BucketListing {
    private BucketListing() {}

    /** Every key under {@code prefix}, sorted. */
    public static List<String> keys(MinioAsyncClient client, String bucket, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : client.listObjects(ListObjectsArgs.builder()
                .bucket(bucket)
                .prefix(prefix)
                .recursive(true)
                .build())) {
            keys.add(item.get().objectName());
        }
        keys.sort(null);
        return keys;
    }

    /** The keys of the multipart uploads started and neither completed nor aborted. */
    public static List<String> uploads(MinioAsyncClient client, String bucket) throws Exception {
        List<String> keys = new ArrayList<>();
        for (ListMultipartUploadsResult.Upload upload : client.listMultipartUploads(
                        ListMultipartUploadsArgs.builder().bucket(bucket).build())
                .get()
                .result()
                .uploads()) {
            keys.add(upload.objectName());
        }
        return keys;
    }
}
