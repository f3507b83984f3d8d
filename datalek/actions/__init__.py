"""What follows a decision: the notification to the AP and its draft, informing the people
involved (safety first, the right reader, the letter) and the measures."""
