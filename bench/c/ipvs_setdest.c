/*
 * ipvs_setdest: the ceiling for IPVS weight edits over raw generic netlink, written with no library.
 *
 * Resolves the "IPVS" family, then sends COUNT IPVS_CMD_SET_DEST requests one at a time, each with
 * NLM_F_ACK, waiting for each ACK before the next (the plain loop a minimal client would write).
 * Edit i targets service s = (i / DESTS) % SERVICES and destination d = i % DESTS of the table the
 * benchmark builds:
 *   service      TCP 10.98.(s / 250).(s % 250 + 1):80
 *   destination  10.98.(200 + d).(s % 250 + 1):(8080 + s / 250), masquerade, weight WEIGHT + i % 7
 * Prints one line: "c-setdest edits=N errors=E seconds=S rate=R".
 *
 *   ipvs_setdest [COUNT [SERVICES [DESTS [WEIGHT]]]]      defaults: 1000 250 4 10
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NLA_ALIGN4(len) (((len) + 3) & ~3)

struct buf { unsigned char data[1024]; size_t len; };

static void put_attr(struct buf *b, uint16_t type, const void *payload, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)(b->data + b->len);
	a->nla_len = NLA_HDRLEN + len;
	a->nla_type = type;
	memcpy(b->data + b->len + NLA_HDRLEN, payload, len);
	memset(b->data + b->len + NLA_HDRLEN + len, 0, NLA_ALIGN4(NLA_HDRLEN + len) - (NLA_HDRLEN + len));
	b->len += NLA_ALIGN4(NLA_HDRLEN + len);
}

static size_t begin_nest(struct buf *b, uint16_t type)
{
	size_t at = b->len;
	struct nlattr *a = (struct nlattr *)(b->data + at);
	a->nla_type = type;
	b->len += NLA_HDRLEN;
	return at;
}

static void end_nest(struct buf *b, size_t at)
{
	((struct nlattr *)(b->data + at))->nla_len = (uint16_t)(b->len - at);
}

static void begin_msg(struct buf *b, uint16_t type, uint16_t flags, uint32_t seq, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *h = (struct nlmsghdr *)b->data;
	struct genlmsghdr *g = (struct genlmsghdr *)(b->data + NLMSG_HDRLEN);
	memset(b->data, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = seq;
	g->cmd = cmd;
	g->version = version;
	b->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static void end_msg(struct buf *b) { ((struct nlmsghdr *)b->data)->nlmsg_len = (uint32_t)b->len; }

/* Receives until the NLMSG_ERROR for seq; returns its error (0 = ACK). Data replies go to on_data. */
static int wait_ack(int fd, uint32_t seq, void (*on_data)(struct nlmsghdr *, void *), void *ctx)
{
	static unsigned char rx[65536];
	for (;;) {
		ssize_t n = recv(fd, rx, sizeof(rx), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (on_data)
				on_data(h, ctx);
		}
	}
}

static void family_id(struct nlmsghdr *h, void *ctx)
{
	struct nlattr *a = (struct nlattr *)((unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN);
	int left = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)ctx = *(uint16_t *)((unsigned char *)a + NLA_HDRLEN);
		left -= NLA_ALIGN4(a->nla_len);
		a = (struct nlattr *)((unsigned char *)a + NLA_ALIGN4(a->nla_len));
	}
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 1000;
	long services = argc > 2 ? atol(argv[2]) : 250;
	long dests = argc > 3 ? atol(argv[3]) : 4;
	uint32_t weight = argc > 4 ? (uint32_t)atol(argv[4]) : 10;
	if (count <= 0 || services <= 0 || dests <= 0) {
		fprintf(stderr, "usage: ipvs_setdest [COUNT [SERVICES [DESTS [WEIGHT]]]]\n");
		return 2;
	}

	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink socket");
		return 1;
	}
	int one = 1;
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	struct buf b;
	uint32_t seq = 1;
	uint16_t family = 0;
	begin_msg(&b, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, seq, CTRL_CMD_GETFAMILY, 1);
	put_attr(&b, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME, sizeof(IPVS_GENL_NAME));
	end_msg(&b);
	if (send(fd, b.data, b.len, 0) < 0 || wait_ack(fd, seq, family_id, &family) != 0 || family == 0) {
		fprintf(stderr, "ipvs_setdest: this kernel has no IPVS\n");
		return 1;
	}

	long errors = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < count; i++) {
		long s = (i / dests) % services, d = i % dests;
		unsigned char vip[16] = { 10, 98, (unsigned char)(s / 250), (unsigned char)(s % 250 + 1) };
		unsigned char rip[16] = { 10, 98, (unsigned char)(200 + d), (unsigned char)(s % 250 + 1) };
		uint16_t af = AF_INET, proto = IPPROTO_TCP, vport = htons(80), rport = htons((uint16_t)(8080 + s / 250));
		uint32_t fwd = IP_VS_CONN_F_MASQ, w = weight + (uint32_t)(i % 7), zero = 0;

		begin_msg(&b, family, NLM_F_REQUEST | NLM_F_ACK, ++seq, IPVS_CMD_SET_DEST, IPVS_GENL_VERSION);
		size_t svc = begin_nest(&b, IPVS_CMD_ATTR_SERVICE);
		put_attr(&b, IPVS_SVC_ATTR_AF, &af, 2);
		put_attr(&b, IPVS_SVC_ATTR_PROTOCOL, &proto, 2);
		put_attr(&b, IPVS_SVC_ATTR_ADDR, vip, 16);
		put_attr(&b, IPVS_SVC_ATTR_PORT, &vport, 2);
		end_nest(&b, svc);
		size_t dst = begin_nest(&b, IPVS_CMD_ATTR_DEST);
		put_attr(&b, IPVS_DEST_ATTR_ADDR, rip, 16);
		put_attr(&b, IPVS_DEST_ATTR_PORT, &rport, 2);
		put_attr(&b, IPVS_DEST_ATTR_FWD_METHOD, &fwd, 4);
		put_attr(&b, IPVS_DEST_ATTR_WEIGHT, &w, 4);
		put_attr(&b, IPVS_DEST_ATTR_U_THRESH, &zero, 4);
		put_attr(&b, IPVS_DEST_ATTR_L_THRESH, &zero, 4);
		put_attr(&b, IPVS_DEST_ATTR_ADDR_FAMILY, &af, 2);
		end_nest(&b, dst);
		end_msg(&b);
		if (send(fd, b.data, b.len, 0) < 0) {
			perror("send");
			return 1;
		}
		int err = wait_ack(fd, seq, NULL, NULL);
		if (err == -EAGAIN) {
			fprintf(stderr, "ipvs_setdest: no ACK within 5 s\n");
			return 1;
		}
		if (err != 0)
			errors++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("c-setdest edits=%ld errors=%ld seconds=%.6f rate=%.0f\n", count, errors, secs, (double)count / secs);
	close(fd);
	return errors == 0 ? 0 : 3;
}
