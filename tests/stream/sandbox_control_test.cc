// Fault injection in the sandbox: KafkaSandbox's broker down/up and request-error controls
// in-process, and `cryptomood sandbox --control` through the real binary, driven over its
// stdin while a KafkaProducer in this process publishes to it. The effects are observed: a
// downed single broker makes delivery fail until it is up again, and a pushed non-retriable
// Produce error fails a delivery. Every wait is bounded; the child is killed when a test ends.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "stream/child_process.h"
#include "stream/kafka_producer.h"
#include "stream/sandbox.h"
#include "stream/topics.h"

namespace cryptomood {
namespace {

using namespace std::chrono_literals;
using testing_support::ChildProcess;
using testing_support::ChildStdin;

constexpr std::string_view kBanner = "cryptomood: sandbox brokers at ";
constexpr auto kAnswerTimeout = 10s;
constexpr auto kFlushTimeout = 30s;
// A mock-cluster command or shutdown can wait for the mock thread's next poll round.
constexpr auto kStopTimeout = 10s;

// Publishes one message to cryptomood.trades and waits for its delivery report.
Status ProduceOne(const std::string& brokers, std::vector<std::string> properties = {}) {
  auto producer = KafkaProducer::Create(KafkaConfig{brokers, std::move(properties)});
  if (!producer.ok()) return producer.error();
  if (Status produced = (*producer)->Produce(kTradesTopic, "BTC", "{}"); !produced.ok()) {
    return produced;
  }
  return (*producer)->Flush(kFlushTimeout);
}

class SandboxControlTest : public ::testing::Test {
 protected:
  // Writing to a child that has exited must fail the test, not kill it.
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }

  void StartSandbox(int brokers) {
    sandbox_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{CRYPTOMOOD_BINARY, "sandbox", "--brokers", std::to_string(brokers),
                                 "--control"},
        ChildStdin::kPipe);
    const std::string banner = sandbox_->ReadLine(20s);
    ASSERT_EQ(banner.rfind(kBanner, 0), 0U) << "first line: " << banner;
    brokers_ = banner.substr(kBanner.size());
    ASSERT_FALSE(brokers_.empty());
  }

  // Sends one command line and returns the answer line ("" if none came in time).
  std::string Command(const std::string& command) {
    if (!sandbox_->Write(command + "\n")) return "";
    return sandbox_->ReadLine(kAnswerTimeout);
  }

  std::unique_ptr<ChildProcess> sandbox_;
  std::string brokers_;
};

TEST_F(SandboxControlTest, InjectsFaultsAndTheIdempotentProducerStillDelivers) {
  ASSERT_NO_FATAL_FAILURE(StartSandbox(3));
  EXPECT_EQ(Command("down 2"), "ok down 2");
  EXPECT_EQ(Command("up 2"), "ok up 2");
  EXPECT_EQ(Command("errors Produce REQUEST_TIMED_OUT,REQUEST_TIMED_OUT"),
            "ok errors Produce REQUEST_TIMED_OUT,REQUEST_TIMED_OUT");
  // REQUEST_TIMED_OUT is retriable: the producer retries and the message is acknowledged.
  const Status delivered = ProduceOne(brokers_);
  EXPECT_TRUE(delivered.ok()) << delivered.error().message;
  // Stdin is still open (a read may be pending): the stop signal is served at once.
  EXPECT_EQ(sandbox_->Stop(SIGTERM, kStopTimeout), 0) << "sandbox exits 0 on SIGTERM";
}

TEST_F(SandboxControlTest, BrokerDownFailsDeliveryUntilItIsUpAgain) {
  ASSERT_NO_FATAL_FAILURE(StartSandbox(1));
  EXPECT_EQ(Command("down 1"), "ok down 1");
  const Status while_down = ProduceOne(brokers_, {"message.timeout.ms=2000"});
  EXPECT_FALSE(while_down.ok()) << "delivered although the only broker is down";

  EXPECT_EQ(Command("up 1"), "ok up 1");
  const Status while_up = ProduceOne(brokers_, {"message.timeout.ms=20000"});
  EXPECT_TRUE(while_up.ok()) << while_up.error().message;
  EXPECT_EQ(sandbox_->Stop(SIGINT, kStopTimeout), 0) << "sandbox exits 0 on SIGINT";
}

TEST_F(SandboxControlTest, PushedNonRetriableProduceErrorFailsDelivery) {
  ASSERT_NO_FATAL_FAILURE(StartSandbox(1));
  EXPECT_EQ(Command("errors Produce TOPIC_AUTHORIZATION_FAILED"),
            "ok errors Produce TOPIC_AUTHORIZATION_FAILED");
  const Status refused = ProduceOne(brokers_);
  ASSERT_FALSE(refused.ok()) << "delivered despite the pushed error";
  EXPECT_NE(refused.error().message.find("uthoriz"), std::string::npos) << refused.error().message;
  // The error was consumed by that request: the next message goes through.
  const Status next = ProduceOne(brokers_);
  EXPECT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(sandbox_->Stop(SIGTERM, kStopTimeout), 0);
}

TEST_F(SandboxControlTest, MalformedCommandsAnswerErrorsAndEndOfInputKeepsRunning) {
  ASSERT_NO_FATAL_FAILURE(StartSandbox(3));
  for (const std::string& command : std::vector<std::string>{
           "down x", "errors Nope FOO", "", "down 9", "down 0", "up", "down 1 2", "errors Produce",
           "errors Produce FOO", "errors Produce REQUEST_TIMED_OUT,,NOT_COORDINATOR",
           "errors Produce _MSG_TIMED_OUT", "frobnicate 1", std::string(5000, 'a')}) {
    const std::string answer = Command(command);
    EXPECT_EQ(answer.rfind("error: ", 0), 0U) << command.substr(0, 40) << " answered " << answer;
  }
  // Still serving after the errors; an unterminated last line is answered at end of input.
  EXPECT_EQ(Command("errors Heartbeat NOT_COORDINATOR"), "ok errors Heartbeat NOT_COORDINATOR");
  ASSERT_TRUE(sandbox_->Write("up 3"));
  sandbox_->CloseStdin();
  EXPECT_EQ(sandbox_->ReadLine(kAnswerTimeout), "ok up 3");

  // End of stdin does not stop the sandbox: it still serves a producer.
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(sandbox_->Running());
  const Status delivered = ProduceOne(brokers_);
  EXPECT_TRUE(delivered.ok()) << delivered.error().message;
  EXPECT_EQ(sandbox_->Stop(SIGTERM, kStopTimeout), 0);
}

TEST_F(SandboxControlTest, SigtermEndsTheSandboxWhileACommandIsHalfWritten) {
  ASSERT_NO_FATAL_FAILURE(StartSandbox(1));
  ASSERT_TRUE(sandbox_->Write("dow"));
  EXPECT_EQ(sandbox_->Stop(SIGTERM, kStopTimeout), 0);
}

// The same controls in-process.
class KafkaSandboxFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sandbox = KafkaSandbox::Start(SandboxOptions{3, 1});
    ASSERT_TRUE(sandbox.ok()) << sandbox.error().message;
    sandbox_ = std::move(*sandbox);
  }

  std::unique_ptr<KafkaSandbox> sandbox_;
};

TEST_F(KafkaSandboxFaultTest, BrokerIdsAreOneToBrokers) {
  EXPECT_EQ(sandbox_->brokers(), 3);
  for (const std::int32_t id : {1, 2, 3}) {
    EXPECT_TRUE(sandbox_->SetBrokerDown(id).ok()) << id;
    EXPECT_TRUE(sandbox_->SetBrokerUp(id).ok()) << id;
  }
  for (const std::int32_t id : {-1, 0, 4}) {
    const Status down = sandbox_->SetBrokerDown(id);
    ASSERT_FALSE(down.ok()) << id;
    EXPECT_EQ(down.error().kind, ErrorKind::kUsage);
    EXPECT_FALSE(sandbox_->SetBrokerUp(id).ok()) << id;
  }
}

TEST_F(KafkaSandboxFaultTest, RequestErrorsNeedAtLeastOneError) {
  EXPECT_TRUE(sandbox_->PushRequestErrors(0, {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION}).ok());
  const Status none = sandbox_->PushRequestErrors(0, {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, ErrorKind::kUsage);
}

TEST_F(KafkaSandboxFaultTest, CommandsParseApiAndErrorNames) {
  for (const std::string_view command :
       {"down 1", " up 1 ", "errors Produce NOT_LEADER_FOR_PARTITION,LEADER_NOT_AVAILABLE",
        "errors Fetch BROKER_NOT_AVAILABLE", "errors OffsetCommit NOT_COORDINATOR",
        "errors\tJoinGroup\tREQUEST_TIMED_OUT", "errors SyncGroup NO_ERROR",
        "errors Metadata LEADER_NOT_AVAILABLE", "errors FindCoordinator NOT_COORDINATOR",
        "errors ListOffsets NOT_LEADER_FOR_PARTITION", "errors OffsetFetch NOT_COORDINATOR",
        "errors LeaveGroup NOT_COORDINATOR", "errors Heartbeat REBALANCE_IN_PROGRESS"}) {
    const Status applied = ApplySandboxCommand(*sandbox_, command);
    EXPECT_TRUE(applied.ok()) << command << ": " << applied.error().message;
  }
  for (const std::string_view command :
       {"", "   ", "down", "down one", "down 1x", "down 4", "up -1",
        "errors produce NOT_COORDINATOR", "errors Produce not_coordinator",
        "errors Produce RD_KAFKA_RESP_ERR_NOT_COORDINATOR", "errors Produce NOT_COORDINATOR,",
        "errors Produce NOT_COORDINATOR extra", "sideways 1"}) {
    const Status applied = ApplySandboxCommand(*sandbox_, command);
    ASSERT_FALSE(applied.ok()) << "'" << command << "' was accepted";
    EXPECT_EQ(applied.error().kind, ErrorKind::kUsage) << command;
  }
}

}  // namespace
}  // namespace cryptomood
