"""A Terraform external program: the protocol object is made from a project class."""
import sys

import io_helpers

if __name__ == "__main__":
    tf = io_helpers.Terraform()
    query = tf.query(sys.stdin)
    tf.answer({"name": query.get("name", "")})
